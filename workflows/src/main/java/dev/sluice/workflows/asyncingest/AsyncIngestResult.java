package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * What a run published. Build one with {@link #newBuilder}; a component not set keeps its default
 * (an empty list, zero, or null).
 *
 * @param requestId the provider's request ID
 * @param tableUri the table directory
 * @param files published file URIs; default null: none
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
 * @param splits the parts of a split window, in range order, each its own provider job; default
 *     an empty list: the window was not split
 */
@RecordBuilder
@RecordBuilder.Options(enableWither = false)
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
    long droppedRows,
    List<SplitPart> splits) {

  /**
   * @param submitMillis submit (including reading the watermark)
   * @param waitMillis from submit to ready
   * @param extractMillis download and Parquet encoding
   * @param publishMillis publish and watermark
   */
  public record StageTimings(
      long submitMillis, long waitMillis, long extractMillis, long publishMillis) {}

  /**
   * One part of a split window.
   *
   * @param from the part's first instant (window or watermark)
   * @param to the instant after its last
   * @param rows rows its provider job delivered
   * @param requestId its provider job
   */
  public record SplitPart(String from, String to, long rows, String requestId) {}

  public AsyncIngestResult {
    files = files == null ? List.of() : files;
    splits = splits == null ? List.of() : List.copyOf(splits);
  }

  /**
   * A builder of {@code AsyncIngestResult}, for code that sets some components by name (the builder
   * is generated from this record). A component not set keeps its default: an empty list, zero,
   * false, or null.
   */
  public static AsyncIngestResultBuilder newBuilder() {
    return AsyncIngestResultBuilder.builder();
  }
}
