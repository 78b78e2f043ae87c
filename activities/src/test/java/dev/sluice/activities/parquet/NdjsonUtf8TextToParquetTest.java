package dev.sluice.activities.parquet;

import static dev.sluice.activities.parquet.Utf8TextStaging.catchMessage;
import static dev.sluice.activities.parquet.Utf8TextStaging.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import dev.sluice.activities.formats.NdjsonPageParser;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.Utf8TextStaging.Staged;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NDJSON pages reach the staging writer with their flat records' string values as UTF-8 bytes
 * ({@link Utf8Text}, escapes decoded) and are written exactly as the same pages handed over as
 * Strings: the same file bytes, schema, watermark, rows dropped outside a window, partitions and
 * error messages. The pages mix what the scanner reads with records it leaves to Jackson (a nested
 * value, a surrogate's escape), strings that look like numbers, booleans, dates and timestamps in
 * typed and inferred columns, empty strings, escapes, non-ASCII text and a column that first
 * appears after the schema is fixed.
 */
class NdjsonUtf8TextToParquetTest {

  /** Two pages. Inference reads the first two records; "meta" is new in the third. */
  private static final List<String> PAGES =
      List.of(
          lines(
              "{\"id\":1,\"name\":\"Zoë\",\"n\":\"+5\",\"x\":1.5,\"ok\":true,"
                  + "\"modified\":\"2026-01-01T00:00:00Z\",\"born\":\"1990-05-17\","
                  + "\"amount\":\"12.30\",\"city\":\"Zürich\",\"code\":\"007\"}",
              "{\"id\":2,\"name\":\"東京 🚀, \\\"quoted\\\"\\t\\u00e9\\u6771\\/\",\"n\":-9,"
                  + "\"x\":\"1e3\",\"ok\":\"FALSE\","
                  + "\"modified\":\"2026-02-01T00:00:00.123+01:00\",\"born\":\"2000-02-29\","
                  + "\"amount\":-0.5,\"city\":\"東京\",\"code\":\"12\"}",
              "{\"id\":3,\"name\":\"\",\"n\":null,\"modified\":\"2026-03-01T00:00:00Z\","
                  + "\"amount\":7,\"city\":\"Zürich\",\"meta\":{\"a\":[1,\"é\"]}}",
              "{\"id\":4,\"name\":\"naïve \\ud83d\\ude80\",\"n\":\"١٢\",\"x\":\"2.25\","
                  + "\"ok\":\"TRUE\",\"modified\":\"2025-12-31T23:59:59Z\","
                  + "\"born\":\"1999-12-31\",\"amount\":\"123456789012.3456\",\"city\":\"\"}"),
          lines(
              "{\"id\":5,\"name\":\"plain\",\"n\":\"42\",\"x\":\" 3.5 \",\"ok\":\"false\","
                  + "\"modified\":\"2026-01-15T10:00:00.000+0000\",\"born\":\"2024-02-29\","
                  + "\"amount\":\"0.01\",\"city\":\"Paris\",\"code\":\"0042\","
                  + "\"meta\":\"{\\\"a\\\":2}\"}",
              "{\"id\":6,\"name\":\"multi\\nline é\",\"n\":\"123456789012345678\","
                  + "\"x\":-0.0,\"ok\":true,\"modified\":\"2026-01-20T00:00:00-05:00\","
                  + "\"born\":\"1970-01-01\",\"amount\":\"-1\",\"city\":\"東京\",\"code\":7}"));

  @TempDir Path dir;
  private final HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());

  @Test
  void givenNdjsonPagesWithAWindow_whenWrittenAsUtf8Text_thenTheSameFileAsFromStrings()
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
    // Two files: "meta" is new after the schema was fixed on records 1 and 2.
    assertThat(bytes.files()).hasSize(2).isEqualTo(strings.files());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String file : bytes.files().keySet()) {
      rows.addAll(StagedParquet.rows(bytes.root().resolve(file)));
    }
    assertThat(rows)
        .extracting(r -> r.get("name"))
        .containsExactly("東京 🚀, \"quoted\"\té東/", "plain", "multi\nline é");
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

    assertThat(bytes.files()).hasSize(6).isEqualTo(strings.files());
    assertThat(bytes.state().rows()).isEqualTo(6);
  }

  @Test
  void givenABadValueAsUtf8Text_whenWritten_thenTheMismatchNamesTheSameRecordColumnAndValue() {
    List<String> pages = List.of(PAGES.get(0), PAGES.get(1).replace("\"42\"", "\"4²\""));

    WatermarkRange all = WatermarkRange.all();
    String fromStrings =
        catchMessage(() -> stage("strings", pages, false, all, StagingLayout.PLAIN));

    assertThatThrownBy(() -> stage("bytes", pages, true, all, StagingLayout.PLAIN))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessage(fromStrings)
        .hasMessageStartingWith("Record 5: value '4²' (string)");
  }

  /** {@link Utf8TextStaging#stage} with this format's parser. */
  private Staged stage(
      String name, List<String> pages, boolean asBytes, WatermarkRange range, StagingLayout layout)
      throws IOException {
    return Utf8TextStaging.stage(
        files, dir, name, new NdjsonPageParser(new JsonFactory()), pages, asBytes, range, layout);
  }
}
