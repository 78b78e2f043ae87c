package dev.sluice.activities.parquet;

import static dev.sluice.activities.parquet.Utf8TextStaging.RUN;
import static dev.sluice.activities.parquet.Utf8TextStaging.catchMessage;
import static dev.sluice.activities.parquet.Utf8TextStaging.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.activities.formats.CsvPageParser;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.ParquetPageWriter;
import dev.sluice.activities.parquet.Utf8TextStaging.Staged;
import dev.sluice.pipeline.ParquetSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV pages reach the staging writer as UTF-8 bytes ({@link Utf8Text}) and are written exactly as
 * the same pages handed over as Strings: the same file bytes, watermark, rows dropped outside a
 * window, partitions and error messages, with non-ASCII text in string, typed and partition
 * columns.
 */
class CsvUtf8TextToParquetTest {

  /** Two pages, each with the header. Values cover every scalar type and non-ASCII text. */
  private static final List<String> PAGES =
      List.of(
          lines(
              "id,name,n,x,ok,modified,born,amount,city",
              "1,Zoë,+5,1.5,true,2026-01-01T00:00:00Z,1990-05-17,12.30,Zürich",
              "2,\"東京 🚀, \"\"quoted\"\"\",-9,1e3,FALSE,2026-02-01T00:00:00.123+01:00,2000-02-29,"
                  + "-0.5,東京",
              "3,\"\",,,,2026-03-01T00:00:00Z,,7,Zürich",
              "4,naïve,١٢,2.25,TRUE,2025-12-31T23:59:59Z,1999-12-31,123456789012.3456,"),
          lines(
              "id,name,n,x,ok,modified,born,amount,city",
              "5,plain,42, 3.5 ,false,2026-01-15T10:00:00.000+0000,2024-02-29,0.01,Paris",
              "6,\"multi\nline é\",123456789012345678,-0.0,true,2026-01-20T00:00:00-05:00,"
                  + "1970-01-01,-1,東京"));

  @TempDir Path dir;
  private final HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());

  @Test
  void givenCsvPagesWithAWindow_whenWrittenAsUtf8Text_thenTheSameFileAsFromStrings()
      throws IOException {
    WatermarkRange window = new WatermarkRange("2026-01-01T00:00:00Z", "2026-02-15T00:00:00Z");

    Staged strings = stage("strings", PAGES, false, window, StagingLayout.PLAIN);
    Staged bytes = stage("bytes", PAGES, true, window, StagingLayout.PLAIN);

    assertThat(bytes.utf8Values()).isGreaterThan(0); // the bytes did reach the writer
    assertThat(strings.utf8Values()).isZero();
    assertThat(strings.state().dropped()).isEqualTo(3);
    assertThat(bytes.state().dropped()).isEqualTo(strings.state().dropped());
    assertThat(bytes.state().rows()).isEqualTo(strings.state().rows()).isEqualTo(3);
    assertThat(bytes.state().maxWatermark())
        .isEqualTo(strings.state().maxWatermark())
        .isEqualTo("2026-02-01T00:00:00.123+01:00");
    assertThat(bytes.state().schema()).isEqualTo(strings.state().schema());
    assertThat(bytes.files()).isEqualTo(strings.files());
    List<Map<String, Object>> rows = StagedParquet.rows(only(bytes));
    assertThat(rows)
        .extracting(r -> r.get("name"))
        .containsExactly("東京 🚀, \"quoted\"", "plain", "multi\nline é");
    assertThat(rows).extracting(r -> r.get("n")).containsExactly(-9L, 42L, 123456789012345678L);
  }

  @Test
  void givenAPartitionedLayout_whenWrittenAsUtf8Text_thenThePartitionerReadsStrings()
      throws IOException {
    StagingLayout byCity =
        columns ->
            new StagingLayout.Fixed(
                ParquetSchema.of(columns),
                (row, sourceIndex) -> {
                  int at = sourceIndex[SchemaInference.indexOf(columns, "city")];
                  Object city = at < row.length ? row[at] : null;
                  // A partitioner that reads text as Strings, as table formats' do.
                  String text = (String) city;
                  return "city=" + (text == null ? "null" : Integer.toHexString(text.hashCode()));
                });

    Staged strings = stage("strings", PAGES, false, WatermarkRange.all(), byCity);
    Staged bytes = stage("bytes", PAGES, true, WatermarkRange.all(), byCity);

    assertThat(bytes.files()).hasSize(4).isEqualTo(strings.files());
    assertThat(bytes.state().rows()).isEqualTo(6);
  }

  @Test
  void givenABadValueAsUtf8Text_whenWritten_thenTheMismatchNamesTheSameRecordColumnAndValue() {
    List<String> pages = List.of(PAGES.get(0), PAGES.get(1).replace(",42,", ",4²,"));

    WatermarkRange all = WatermarkRange.all();
    String fromStrings =
        catchMessage(() -> stage("strings", pages, false, all, StagingLayout.PLAIN));

    assertThatThrownBy(() -> stage("bytes", pages, true, all, StagingLayout.PLAIN))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessage(fromStrings)
        .hasMessageStartingWith("Record 5: value '4²' (string)");
  }

  @Test
  void givenTheExtractorsWrappers_whenAsked_thenTheyForwardTheirTargetsAnswer() {
    RecordSink strings =
        new RecordSink() {
          @Override
          public void columns(List<String> names) {}

          @Override
          public void record(Object[] values) {}
        };
    ParquetSink sink =
        new ParquetSink(dir.resolve("table").toUri().toString(), "append", null, null, null, null);
    String staging = dir.resolve("staging").toUri().toString();
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(files, sink, staging, RUN, null, null)) {
      RecordSink extractors = new KeepAliveSink(new ParquetPageWriter(writer), n -> {});
      assertThat(extractors.takesUtf8Text()).isTrue();
      assertThat(new KeepAliveSink(strings, n -> {}).takesUtf8Text()).isFalse();
    }
  }

  /** {@link Utf8TextStaging#stage} with this format's parser. */
  private Staged stage(
      String name, List<String> pages, boolean asBytes, WatermarkRange range, StagingLayout layout)
      throws IOException {
    return Utf8TextStaging.stage(
        files, dir, name, new CsvPageParser(',', '"', true), pages, asBytes, range, layout);
  }

  private static Path only(Staged staged) {
    assertThat(staged.files()).hasSize(1);
    return staged.root().resolve(staged.files().keySet().iterator().next());
  }
}
