package dev.sluice.workflows.filedownload;

import dev.sluice.workflows.activities.FailureType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * The one activity profile the file download adds to {@code ActivityProfiles} (downloads use {@code
 * LONG_TRANSFER}, the clean-up {@code SINK_CALL}).
 */
final class FileDownloadProfiles {
  private FileDownloadProfiles() {}

  /**
   * Step 1, the listing: many pages of an HTTP listing, or a walk of a prefix with many thousand
   * files on an object store, take minutes rather than the 30 seconds of one provider call; 30
   * minutes per attempt. Transient failures are retried as for a provider call, for two hours in
   * all (the listing is idempotent: a retry rewrites the staging list from scratch).
   */
  static final ActivityOptions LISTING =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(30))
          .setScheduleToCloseTimeout(Duration.ofHours(2))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofMinutes(1))
                  .setDoNotRetry(FailureType.nonRetryable())
                  .build())
          .build();
}
