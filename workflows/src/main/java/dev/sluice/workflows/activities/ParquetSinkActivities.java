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
   * snapshot}: replacing them), then stores the new watermark. Idempotent: publishing the same run
   * again leaves the same files, never duplicates.
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

  /** Deletes a run's staging directory (after a failure or cancellation). Idempotent. */
  @ActivityMethod
  Messages.DiscardResult discardStaging(Messages.DiscardRequest request);
}
