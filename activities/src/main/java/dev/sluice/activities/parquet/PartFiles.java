package dev.sluice.activities.parquet;

import java.util.regex.Pattern;

/**
 * Names of the data files a run writes: {@code part-<runKey>-<seq>.parquet}. They derive from the
 * run, so a retried or re-run publish overwrites its own files and never duplicates them.
 */
final class PartFiles {
  private static final Pattern SEQUENCE = Pattern.compile("\\d{5}\\.parquet");

  private PartFiles() {}

  /** The name of the {@code seq}-th file (from 0) of the run. */
  static String name(String runKey, int seq) {
    return String.format("part-%s-%05d.parquet", runKey, seq);
  }

  /**
   * Whether {@code name} is a file of the run {@code runKey} (and of no run whose key it extends).
   */
  static boolean ofRun(String runKey, String name) {
    String prefix = "part-" + runKey + "-";
    return name.startsWith(prefix) && SEQUENCE.matcher(name.substring(prefix.length())).matches();
  }

  /** Whether {@code name} is a data file readers of the table see. */
  static boolean isData(String name) {
    return name.endsWith(".parquet") && !name.startsWith("_") && !name.startsWith(".");
  }
}
