package dev.sluice.workflows.platformingest;

import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import dev.sluice.workflows.common.LandedResultBuilder;
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

  /**
   * @param batchId the source batch
   * @param created its creation time (epoch milliseconds)
   * @param rows rows read from it
   * @param sourceFiles its dataset files
   */
  public record ReadBatch(String batchId, long created, long rows, int sourceFiles) {}

  /**
   * A builder of {@code PlatformIngestResult}, for code that sets some components by name. A
   * component not set keeps its default: an empty list, zero, false, or null.
   */
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Builds a {@link PlatformIngestResult}; see {@link #newBuilder} for the defaults. */
  public static final class Builder extends LandedResultBuilder<Builder> {
    private List<ReadBatch> batches = List.of();
    private List<String> skipped = List.of();
    private boolean more;
    private int settleChecks;

    private Builder() {}

    @Override
    protected Builder self() {
      return this;
    }

    /** See {@link PlatformIngestResult#batches()}. */
    public Builder batches(List<ReadBatch> batches) {
      this.batches = batches;
      return this;
    }

    /** See {@link PlatformIngestResult#skipped()}. */
    public Builder skipped(List<String> skipped) {
      this.skipped = skipped;
      return this;
    }

    /** See {@link PlatformIngestResult#more()}. */
    public Builder more(boolean more) {
      this.more = more;
      return this;
    }

    /** See {@link PlatformIngestResult#settleChecks()}. */
    public Builder settleChecks(int settleChecks) {
      this.settleChecks = settleChecks;
      return this;
    }

    /** The result. */
    public PlatformIngestResult build() {
      return new PlatformIngestResult(
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
          replaced);
    }
  }
}
