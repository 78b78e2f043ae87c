package dev.sluice.activities.parquet;

import dev.sluice.activities.formats.PageParser;
import dev.sluice.activities.fs.HadoopFiles;
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

/**
 * Pages of one format parsed into a staging writer with their values as {@link Utf8Text} or as
 * Strings, for the tests that require both to write the same Parquet ({@code
 * CsvUtf8TextToParquetTest}, {@code NdjsonUtf8TextToParquetTest}).
 */
final class Utf8TextStaging {
  static final String RUN = "ingest_contacts_2026-01-01T00-00-00Z";

  private Utf8TextStaging() {}

  /** The final state, each staged Parquet file's SHA-256 by its path, and the Utf8Text values. */
  record Staged(WriterState state, Path root, Map<String, String> files, int utf8Values) {}

  /**
   * Parses {@code pages} with {@code parser} into a staging writer under {@code dir/name}, through
   * a sink that takes {@link Utf8Text} when {@code asBytes} (the writer's own answer) or not
   * (Strings); declared columns type n and amount, the rest is inferred from the first two
   * records; "modified" is the watermark.
   */
  static Staged stage(
      HadoopFiles files,
      Path dir,
      String name,
      PageParser parser,
      List<String> pages,
      boolean asBytes,
      WatermarkRange range,
      StagingLayout layout)
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

  /** {@code lines}, each ended by a line feed. */
  static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  /** The message of the failure {@code run} raises. */
  static String catchMessage(ThrowingRunnable run) {
    try {
      run.run();
    } catch (Exception e) {
      return e.getMessage();
    }
    throw new AssertionError("expected a failure");
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
