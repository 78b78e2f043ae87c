package dev.sluice.activities.parquet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.fs.Path;

/**
 * The keys that name a deferral's files ({@link PartFiles#name}{@code (key, seq)}), chosen so that
 * a retry of the same run writes the same names and no later run, not even a re-run of the same
 * window, overwrites or replaces rows that another run published.
 *
 * <ul>
 *   <li>The new deferred set and the expired rows: {@link #version}, the run's key and its "now".
 *       Each deferred set therefore has names no other set has.
 *   <li>Released rows (deferred by earlier runs, complete now): {@link #released}, the run's key,
 *       {@code released} and a digest of the deferred set's file names it released them from. They
 *       are not the window's own rows (they were not in its provider range), so a re-run of the
 *       window must not replace them: the name does not match {@link PartFiles#ofRun}, and {@link
 *       TablePublisher} leaves the file in place. A re-run after a publish that moved its files but
 *       failed before replacing the deferred set reads the same set again, so it releases the same
 *       rows under the same names and overwrites them instead of adding them twice.
 * </ul>
 */
public final class DeferralNames {
  private DeferralNames() {}

  /** The key of a run's new deferred set and expired rows. */
  public static String version(String runKey, long now) {
    return runKey + "-" + now;
  }

  /** The key of the rows a run releases from the deferred set made of {@code deferredFiles}. */
  static String released(String runKey, List<String> deferredFiles) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      deferredFiles.stream()
          .map(uri -> new Path(uri).getName())
          .sorted()
          .forEach(name -> digest.update((name + "\n").getBytes(StandardCharsets.UTF_8)));
      return runKey + "-released-" + HexFormat.of().formatHex(digest.digest(), 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
