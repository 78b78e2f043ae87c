package dev.sluice.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Activities over a Parquet table on a Hadoop {@code FileSystem}: read its watermark, publish a
 * run's staged files into it, discard a run's staging.
 */
@ActivityInterface
public interface ParquetSinkActivities {

  /** The highest watermark already published with the table, or null when there is none. */
  @ActivityMethod
  Messages.WatermarkResult readWatermark(Messages.WatermarkRequest request);

  /**
   * Moves the staged files into the table ({@code append}: beside the existing files; {@code
   * snapshot}: replacing them), then stores the new watermark and, last, the window's record (its
   * commit marker), then releases the run's leases. Idempotent: publishing the same run again
   * leaves the same files, never duplicates; a publish whose window record already names its run
   * only finishes the clean-up.
   */
  @ActivityMethod
  Messages.PublishResult publish(Messages.PublishRequest request);

  /**
   * Splits a run's staged rows by the deferral rule, unioned with the rows deferred by earlier
   * runs: complete rows (new, or released from deferral) are written to files to publish; rows not
   * yet complete to the run's new deferred set; deferred rows superseded by a row of this run with
   * the same key are dropped and counted; deferred rows past retention are staged for the expired
   * table and counted. Writes only under the run's staging, so a retry starts over cleanly; nothing
   * is visible to readers until {@link #publish}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code InvalidPipeline} (non-retryable) when a
   *     rule column is missing from the data; {@code SchemaMismatch} when a deferred row no longer
   *     fits the table's schema
   */
  @ActivityMethod
  Messages.DeferralResult applyDeferral(Messages.DeferralRequest request);

  /**
   * Opens a window for a run: claims the window (and, for a new window of an incremental pipeline,
   * the table's head: the range after the table's watermark), then reports the range the window
   * committed earlier, if any. Claims are leases beside the table, released by {@link #publish}
   * or {@link #releaseWindow}; a lease whose run is no longer running is taken over. Idempotent
   * for the same holder.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code WindowBusy} (non-retryable) when another
   *     running workflow holds the window, naming it; {@code WindowWithoutRange} (non-retryable)
   *     when the window's files were published without a recorded range
   */
  @ActivityMethod
  WindowMessages.OpenWindowResult openWindow(WindowMessages.OpenWindowRequest request);

  /**
   * The committed window of the table whose range starts earliest, among those recorded for {@code
   * column}: {@code from} values compare as positions (a leading number numerically, as a platform
   * source's {@code <created millis>/<batch ID>}; then the rest as text, as ISO-8601 instants do).
   * Reads every range record of the table: callers ask only when a window older than the table's
   * watermark needs to know where the windows begin.
   */
  @ActivityMethod
  WindowMessages.FirstWindowResult firstWindow(WindowMessages.FirstWindowRequest request);

  /** Releases the leases {@code holder} holds on the window and the head. Idempotent. */
  @ActivityMethod
  WindowMessages.ReleaseWindowResult releaseWindow(WindowMessages.ReleaseWindowRequest request);

  /** Deletes a run's staging directory (after a failure or cancellation). Idempotent. */
  @ActivityMethod
  Messages.DiscardResult discardStaging(Messages.DiscardRequest request);
}
