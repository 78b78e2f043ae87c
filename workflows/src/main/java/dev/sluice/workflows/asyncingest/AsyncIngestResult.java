package dev.sluice.workflows.asyncingest;

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
    String cleanupWarning) {

  /**
   * @param submitMillis submit (including reading the watermark)
   * @param waitMillis from submit to ready
   * @param extractMillis download and Parquet encoding
   * @param publishMillis publish and watermark
   */
  public record StageTimings(
      long submitMillis, long waitMillis, long extractMillis, long publishMillis) {}
}
