package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.activities.formats.CsvPageParser;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.ParquetPageWriter;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.ParquetSink;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV pages reach the staging writer as UTF-8 bytes ({@link Utf8Text}) and are written exactly as
 * the same pages handed over as Strings: the same file bytes, watermark, rows dropped outside a
 * window, partitions and error messages, with non-ASCII text in string, typed and partition
 * columns.
 */
class CsvUtf8TextToParquetTest {
  private static final String RUN = "ingest_contacts_2026-01-01T00-00-00Z";

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
    String fromStrings = catchMessage(() -> stage("strings", pages, false, all, StagingLayout.PLAIN));

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

  /** The final state, each staged Parquet file's SHA-256 by its path, and the Utf8Text values. */
  private record Staged(WriterState state, Path root, Map<String, String> files, int utf8Values) {}

  /**
   * Parses {@code pages} into a staging writer under {@code name}, through a sink that takes
   * {@link Utf8Text} when {@code asBytes} (the writer's own answer) or not (Strings); declared
   * columns type n and amount, the rest is inferred from the first two records.
   */
  private Staged stage(
      String name, List<String> pages, boolean asBytes, WatermarkRange range, StagingLayout layout)
      throws IOException {
    Path table = dir.resolve(name);
    ParquetSink sink =
        new ParquetSink(
            table.resolve("table").toUri().toString(),
            "append",
            "snappy",
            "128MB",
            List.of(
                new ColumnSpec("n", "long", null), new ColumnSpec("amount", "decimal(30,4)", null)),
            2);
    String staging = table.resolve("staging").toUri().toString();
    int[] utf8Values = {0};
    WriterState state;
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(files, sink, staging, RUN, "modified", range, null, layout)) {
      RecordSink counting =
          new RecordSink() {
            @Override
            public void columns(List<String> names) {
              writer.columns(names);
            }

            @Override
            public boolean takesUtf8Text() {
              return asBytes && writer.takesUtf8Text();
            }

            @Override
            public void record(Object[] values) {
              for (Object value : values) {
                utf8Values[0] += value instanceof Utf8Text ? 1 : 0;
              }
              writer.record(values);
            }
          };
      CsvPageParser parser = new CsvPageParser(',', '"', true);
      for (int page = 0; page < pages.size(); page++) {
        byte[] body = pages.get(page).getBytes(StandardCharsets.UTF_8);
        parser.parse(new ByteArrayInputStream(body), page + 1, counting);
        writer.endPage();
      }
      state = writer.finish();
    }
    Map<String, String> written = new TreeMap<>();
    Path root = table.resolve("staging");
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        written.put(root.relativize(p).toString(), sha256(Files.readAllBytes(p)));
      }
    }
    return new Staged(state, root, written, utf8Values[0]);
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  private static Path only(Staged staged) {
    assertThat(staged.files()).hasSize(1);
    return staged.root().resolve(staged.files().keySet().iterator().next());
  }

  private String catchMessage(ThrowingRunnable run) {
    try {
      run.run();
    } catch (Exception e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a failure");
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
