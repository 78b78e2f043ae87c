package dev.sluice.workflows.platformingest;

import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * What a platform-source run read and published. Build one with {@link #newBuilder}; a component
 * not set keeps its default (an empty list, zero, false, or null).
 *
 * @param tableUri the table directory
 * @param files published file URIs; default null: none
 * @param rows rows published
 * @param bytes bytes published
 * @param batches the source batches read, in created order; default null: none
 * @param skipped source batches in the window that were not read because the platform reports them
 *     failed or aborted (their data never became readable); default null: none
 * @param more whether the window holds more batches than {@code source.maxBatchesPerRun}: the next
 *     run continues from {@code watermark}
 * @param watermark the stored watermark after this run ({@code <created>/<batchId>} of the last
 *     batch read), or null
 * @param deferral what deferral did, or null when the pipeline defers nothing
 * @param egress the batch sent to the sink's platform, or null when the sink is a Parquet table
 * @param settleChecks checks of the dataset's latest batch before reading
 * @param replaced what the window held before this run (a re-run), or null (a new window)
 */
@RecordBuilder
@RecordBuilder.Options(enableWither = false)
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

  /**
   * @param batchId the source batch
   * @param created its creation time (epoch milliseconds)
   * @param rows rows read from it
   * @param sourceFiles its dataset files
   */
  public record ReadBatch(String batchId, long created, long rows, int sourceFiles) {}

  public PlatformIngestResult {
    files = files == null ? List.of() : files;
    batches = batches == null ? List.of() : batches;
    skipped = skipped == null ? List.of() : skipped;
  }

  /**
   * A builder of {@code PlatformIngestResult}, for code that sets some components by name (the
   * builder is generated from this record). A component not set keeps its default: an empty list,
   * zero, false, or null.
   */
  public static PlatformIngestResultBuilder newBuilder() {
    return PlatformIngestResultBuilder.builder();
  }
}
