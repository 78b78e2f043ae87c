package dev.sluice.workflows.fileingest;

import dev.sluice.pipeline.LakeTable;
import dev.sluice.pipeline.ParquetSink;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The conventions of a file-ingest request shared by the CLI, the workflow and the activity: its
 * workflow ID, its table, its format. Pure functions of the request, so deterministic.
 */
public final class FileIngestRequests {
  private FileIngestRequests() {}

  /** The formats a file can be read as. */
  public static final List<String> FORMATS = List.of("csv", "json", "ndjson");

  /** A dataset name: one path segment, safe in a workflow ID, a directory and a file name. */
  private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  /** Hex characters of the URI's SHA-256 kept in the ID: 64 bits, no collision in practice. */
  private static final int HASH_CHARS = 16;

  /**
   * {@code file/<dataset>/<first 16 hex of sha-256(uri)>}: the same file asked for twice into the
   * same dataset is the same workflow, so a request already queued or running is not started again.
   * The URI is hashed, not embedded: it may be long and carry characters (and query strings) that
   * have no place in an ID or a file name.
   */
  public static String workflowId(String dataset, String uri) {
    return "file/" + dataset + "/" + uriHash(uri);
  }

  /** The first 16 hex characters of the SHA-256 of {@code uri} (UTF-8). */
  public static String uriHash(String uri) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(uri.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Null when {@code name} is a valid dataset name, otherwise what is wrong with it. */
  public static String datasetProblem(String name) {
    if (name == null || name.isEmpty()) {
      return "a dataset name is required";
    }
    if (!DATASET.matcher(name).matches()) {
      return "'"
          + name
          + "' is not a dataset name: use letters, digits, '_', '-' and '.', starting with a"
          + " letter or digit (at most 128 characters)";
    }
    return null;
  }

  /**
   * The format a file's name says ({@code .csv}, {@code .json}, {@code .ndjson} or {@code .jsonl},
   * each optionally followed by {@code .gz}), or null when it says none. Query and fragment are
   * ignored.
   */
  public static String formatOf(String uri) {
    String name = path(uri);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.endsWith(".csv")) {
      return "csv";
    }
    if (name.endsWith(".json")) {
      return "json";
    }
    if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) {
      return "ndjson";
    }
    return null;
  }

  /** Whether the file's name ends in {@code .gz} (query and fragment ignored). */
  public static boolean isGzip(String uri) {
    return path(uri).endsWith(".gz");
  }

  /**
   * The dataset's table: {@code append} mode, the sink's defaults otherwise (snappy, 128MB files,
   * types inferred from the first 1,000 rows).
   */
  public static LakeTable table(String tableUri) {
    return new ParquetSink(tableUri, "append", null, null, null, null);
  }

  private static String path(String uri) {
    String p = uri;
    int cut = p.indexOf('#');
    if (cut >= 0) {
      p = p.substring(0, cut);
    }
    cut = p.indexOf('?');
    if (cut >= 0) {
      p = p.substring(0, cut);
    }
    return p.toLowerCase(Locale.ROOT);
  }
}
