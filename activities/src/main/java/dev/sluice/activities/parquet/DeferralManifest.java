package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/**
 * What {@code applyDeferral} staged, written last into the run's deferral staging ({@code
 * _deferral/_manifest.json}): publish learns from it which files make the new deferred table and
 * which go to the expired table. A listing could not tell after a crash mid-publish (moved files
 * are no longer staged). Its presence also marks the deferral as not yet published: publish deletes
 * it before the rest of the staging, so a publish retried after that skips the deferred and expired
 * tables instead of finding nothing to move.
 *
 * @param output files to publish into the table, in {@code _deferral/}
 * @param deferred files of the new deferred table, in {@code _deferral/deferred/}
 * @param expired files for the expired table, in {@code _deferral/expired/}
 * @param expiredRun the run key the expired files are named after ({@link PartFiles}): the run's
 *     key and its "now", so a retry overwrites its own files and a later run of the same window (a
 *     replay) adds files of its own instead of replacing rows reported earlier
 * @param from the deferred set the run read ({@link DeferralPlacement#source}), or null
 * @param deferredRows rows in {@code deferred} (0 in manifests written before it was recorded)
 */
public record DeferralManifest(
    List<String> output,
    List<String> deferred,
    List<String> expired,
    String expiredRun,
    String from,
    long deferredRows) {
  static final String NAME = "_manifest.json";

  public DeferralManifest {
    output = List.copyOf(output);
    deferred = List.copyOf(deferred);
    expired = List.copyOf(expired);
  }

  /** The manifest's location in {@code deferralDir}. */
  public static String uri(String deferralDir) {
    return deferralDir + "/" + NAME;
  }

  /** Writes the manifest into {@code deferralDir}, replacing any earlier one in one step. */
  void write(HadoopFiles files, String deferralDir) {
    StateFiles.write(files, uri(deferralDir), this);
  }

  /**
   * The manifest in {@code deferralDir}, or empty when there is none.
   *
   * @throws UncheckedIOException when it cannot be read or parsed (retryable: a torn object-store
   *     read heals, and a damaged file needs the run to start over, which the operator decides)
   */
  public static Optional<DeferralManifest> read(HadoopFiles files, String deferralDir) {
    return StateFiles.read(files, uri(deferralDir), DeferralManifest.class, "deferral manifest");
  }
}
