package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import java.util.List;

/**
 * What a run published.
 *
 * @param requestId the provider's request ID
 * @param tableUri the table directory
 * @param files published file URIs
 * @param rows rows published
 * @param bytes bytes published
 * @param pages pages fetched from the provider
 * @param polls status checks made
 * @param watermark the table's watermark after this run (null when not incremental)
 * @param timings milliseconds spent in each stage
 * @param cleanupWarning why the provider job could not be deleted after success, or null
 * @param deferral what deferral did, or null when the pipeline defers nothing
 * @param egress the batch sent to the sink's platform, or null when the sink is a Parquet table
 * @param range the watermark range the window owns after this run, or null (not incremental, or a
 *     run recorded before window ranges existed)
 * @param replaced what the window held before this run (a re-run), or null (a new window)
 * @param droppedRows rows the provider sent outside the window's range, not written
 */
public record AsyncIngestResult(
    String requestId,
    String tableUri,
    List<String> files,
    long rows,
    long bytes,
    int pages,
    int polls,
    String watermark,
    StageTimings timings,
    String cleanupWarning,
    DeferralResult deferral,
    BatchEgressResult egress,
    WindowRange range,
    WindowRange replaced,
    long droppedRows) {

  /** A result without window ranges (as before they existed). */
  public AsyncIngestResult(
      String requestId,
      String tableUri,
      List<String> files,
      long rows,
      long bytes,
      int pages,
      int polls,
      String watermark,
      StageTimings timings,
      String cleanupWarning,
      DeferralResult deferral,
      BatchEgressResult egress) {
    this(
        requestId,
        tableUri,
        files,
        rows,
        bytes,
        pages,
        polls,
        watermark,
        timings,
        cleanupWarning,
        deferral,
        egress,
        null,
        null,
        0);
  }

  /** A result without deferral or egress (a Parquet sink). */
  public AsyncIngestResult(
      String requestId,
      String tableUri,
      List<String> files,
      long rows,
      long bytes,
      int pages,
      int polls,
      String watermark,
      StageTimings timings,
      String cleanupWarning) {
    this(
        requestId,
        tableUri,
        files,
        rows,
        bytes,
        pages,
        polls,
        watermark,
        timings,
        cleanupWarning,
        null,
        null);
  }

  /**
   * @param submitMillis submit (including reading the watermark)
   * @param waitMillis from submit to ready
   * @param extractMillis download and Parquet encoding
   * @param publishMillis publish and watermark
   */
  public record StageTimings(
      long submitMillis, long waitMillis, long extractMillis, long publishMillis) {}
}
