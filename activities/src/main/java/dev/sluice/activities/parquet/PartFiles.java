package dev.sluice.activities.parquet;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Names of the data files a run writes: {@code part-<runKey>-<seq>.parquet}. They derive from the
 * run, so a retried or re-run publish overwrites its own files and never duplicates them. Also
 * what a resumed staging directory keeps of them.
 */
final class PartFiles {
  // A part of a split window names its files part-<runKey>-split-<from>-<to>-<seq>.parquet: they
  // are the run's too, so a later run of the window replaces them.
  private static final Pattern SEQUENCE =
      Pattern.compile("(split-[A-Za-z0-9._-]+-)?\\d{5}\\.parquet");

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

  /**
   * Creates the directory and deletes what no checkpoint lists: files of dead attempts. Data
   * files of other keys stay: those of the other parts of a result in parts ({@code
   * part-00003-<runKey>-…}), which share the run's staging.
   */
  static void prepareStaging(FileSystem fs, Path dir, String runKey, List<String> kept) {
    try {
      fs.mkdirs(dir);
      Set<String> missing = new HashSet<>(kept);
      keepListed(fs, dir, runKey, "", missing);
      if (!missing.isEmpty()) {
        throw new IllegalStateException(
            "cannot resume: staged files "
                + missing
                + " of the checkpoint are missing from "
                + dir
                + "; the run must start over");
      }
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException(
          "staging directory " + dir + " vanished: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot prepare staging directory " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * Deletes under {@code dir} what {@code missing} (names relative to the staging directory) does
   * not list, removing what it finds. Partition directories are looked into, never deleted whole:
   * other parts of a result in parts write their files into the same ones.
   */
  private static void keepListed(
      FileSystem fs, Path dir, String runKey, String prefix, Set<String> missing)
      throws IOException {
    for (FileStatus status : fs.listStatus(dir)) {
      String file = status.getPath().getName();
      String name = prefix + file;
      boolean another = file.startsWith("part-") && !ofRun(runKey, file);
      if (status.isDirectory() && file.contains("=")) {
        keepListed(fs, status.getPath(), runKey, name + "/", missing);
      } else if (!missing.remove(name) && !another) {
        fs.delete(status.getPath(), true);
      }
    }
  }
}
