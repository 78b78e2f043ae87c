package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import dev.sluice.workflows.common.LandedResultBuilder;
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

  /**
   * @param submitMillis submit (including reading the watermark)
   * @param waitMillis from submit to ready
   * @param extractMillis download and Parquet encoding
   * @param publishMillis publish and watermark
   */
  public record StageTimings(
      long submitMillis, long waitMillis, long extractMillis, long publishMillis) {}

  /**
   * A builder of {@code AsyncIngestResult}, for code that sets some components by name. A
   * component not set keeps its default: an empty list, zero, false, or null.
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Builds a {@link AsyncIngestResult}; see {@link #newBuilder} for the defaults. */
  public static final class Builder extends LandedResultBuilder<Builder> {
    private String requestId;
    private int pages;
    private int polls;
    private StageTimings timings;
    private String cleanupWarning;
    private WindowRange range;
    private long droppedRows;

    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    /** See {@link AsyncIngestResult#requestId()}. */
    public Builder requestId(String requestId) {
      this.requestId = requestId;
      return this;
    }

    /** See {@link AsyncIngestResult#pages()}. */
    public Builder pages(int pages) {
      this.pages = pages;
      return this;
    }

    /** See {@link AsyncIngestResult#polls()}. */
    public Builder polls(int polls) {
      this.polls = polls;
      return this;
    }

    /** See {@link AsyncIngestResult#timings()}. */
    public Builder timings(StageTimings timings) {
      this.timings = timings;
      return this;
    }

    /** See {@link AsyncIngestResult#cleanupWarning()}. */
    public Builder cleanupWarning(String cleanupWarning) {
      this.cleanupWarning = cleanupWarning;
      return this;
    }

    /** See {@link AsyncIngestResult#range()}. */
    public Builder range(WindowRange range) {
      this.range = range;
      return this;
    }

    /** See {@link AsyncIngestResult#droppedRows()}. */
    public Builder droppedRows(long droppedRows) {
      this.droppedRows = droppedRows;
      return this;
    }

    /** The result. */
    public AsyncIngestResult build() {
      return new AsyncIngestResult(
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
          range,
          replaced,
          droppedRows);
    }
  }
}
