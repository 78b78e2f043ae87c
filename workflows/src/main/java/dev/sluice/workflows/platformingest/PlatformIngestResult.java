package dev.sluice.workflows.platformingest;

import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import java.util.List;

/**
 * What a platform-source run read and published.
 *
 * @param tableUri the table directory
 * @param files published file URIs
 * @param rows rows published
 * @param bytes bytes published
 * @param batches the source batches read, in created order
 * @param skipped source batches in the window that were not read because the platform reports them
 *     failed or aborted (their data never became readable)
 * @param more whether the window holds more batches than {@code source.maxBatchesPerRun}: the next
 *     run continues from {@code watermark}
 * @param watermark the stored watermark after this run ({@code <created>/<batchId>} of the last
 *     batch read), or null
 * @param deferral what deferral did, or null when the pipeline defers nothing
 * @param egress the batch sent to the sink's platform, or null when the sink is a Parquet table
 * @param settleChecks checks of the dataset's latest batch before reading
 * @param replaced what the window held before this run (a re-run), or null (a new window)
 */
public record PlatformIngestResult(
    String tableUri,
    List<String> files,
    long rows,
    long bytes,
    List<ReadBatch> batches,
    List<String> skipped,
    boolean more,
    String watermark,
    DeferralResult deferral,
    BatchEgressResult egress,
    int settleChecks,
    WindowRange replaced) {

  /** A result without window ranges (as before they existed). */
  public PlatformIngestResult(
      String tableUri,
      List<String> files,
      long rows,
      long bytes,
      List<ReadBatch> batches,
      List<String> skipped,
      boolean more,
      String watermark,
      DeferralResult deferral,
      BatchEgressResult egress,
      int settleChecks) {
    this(
        tableUri,
        files,
        rows,
        bytes,
        batches,
        skipped,
        more,
        watermark,
        deferral,
        egress,
        settleChecks,
        null);
  }

  /**
   * @param batchId the source batch
   * @param created its creation time (epoch milliseconds)
   * @param rows rows read from it
   * @param sourceFiles its dataset files
   */
  public record ReadBatch(String batchId, long created, long rows, int sourceFiles) {}
}
