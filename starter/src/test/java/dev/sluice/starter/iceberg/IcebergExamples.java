package dev.sluice.starter.iceberg;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's example pipelines with their {@code sink:} swapped for an {@code iceberg} sink and
 * nothing else changed: the claim that the same pipelines land in Iceberg by changing only the sink.
 */
public final class IcebergExamples {
  /** The top-level {@code sink:} block: its line and every indented (or blank) line after it. */
  private static final Pattern SINK = Pattern.compile("(?m)^sink:[^\\n]*\\n(?:(?:[ \\t]+[^\\n]*)?\\n)*");

  private static final Pattern COLUMNS =
      Pattern.compile("(?m)^  columns:[^\\n]*\\n(?:    [^\\n]*\\n|[ \\t]*#[^\\n]*\\n)*");

  private IcebergExamples() {}

  /** The repository's {@code examples/<name>}. */
  public static Path example(String name) {
    Path root = dev.sluice.starter.dev.TemporalCli.repositoryRoot().orElseThrow();
    return root.resolve("examples").resolve(name);
  }

  /**
   * {@code yaml} with its sink replaced by an iceberg sink: a Hadoop catalog at {@code warehouse},
   * table {@code table}, mode {@code mode}, and the original sink's declared {@code columns} kept.
   */
  public static String withIcebergSink(String yaml, String warehouse, String table, String mode) {
    return withCatalog(yaml, "    type: hadoop\n    warehouse: " + warehouse + "\n", table, mode);
  }

  /** As above, with {@code catalog} (the catalog's keys, indented by four spaces) as the catalog. */
  public static String withCatalog(String yaml, String catalog, String table, String mode) {
    Matcher sink = SINK.matcher(yaml);
    if (!sink.find()) {
      throw new IllegalArgumentException("no top-level sink: block");
    }
    Matcher columns = COLUMNS.matcher(sink.group());
    String iceberg =
        "sink:\n"
            + "  type: iceberg\n"
            + "  catalog:\n"
            + catalog
            + "  table: "
            + table
            + "\n"
            + "  mode: "
            + mode
            + "\n"
            + (columns.find() ? columns.group() : "");
    return yaml.substring(0, sink.start()) + iceberg + yaml.substring(sink.end());
  }

  /** {@code examples/<name>} with an iceberg sink, written into {@code dir} under the same name. */
  public static Path write(Path dir, String name, String warehouse, String table, String mode) {
    try {
      Path out = dir.resolve(name);
      Files.writeString(
          out, withIcebergSink(Files.readString(example(name)), warehouse, table, mode));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
