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

  /** Deletes a run's staging directory (after a failure or cancellation). Idempotent. */
  @ActivityMethod
  Messages.DiscardResult discardStaging(Messages.DiscardRequest request);
}
