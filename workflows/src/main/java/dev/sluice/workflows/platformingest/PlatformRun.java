package dev.sluice.workflows.platformingest;

import dev.sluice.pipeline.LakeTable;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.common.WindowRun;
import dev.sluice.workflows.common.Windows;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;

/** What every step of a platform ingest derives from the input and the workflow's info. */
final class PlatformRun extends WindowRun {
  final PlatformBatchesSource source;
  final String staging;
  final Instant windowStart;
  final Instant windowEnd;

  PlatformRun(PlatformIngestInput input) {
    super(input.pipeline(), input.logicalDate(), table(input.pipeline()));
    this.source = (PlatformBatchesSource) spec.source();
    this.windowEnd = Windows.instant(logicalDate);
    if (windowEnd == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the logical date '"
              + logicalDate
              + "' is not an ISO-8601 instant or date: a platform source reads the batches"
              + " created in the window ending then",
          FailureType.INVALID_PIPELINE.type());
    }
    this.windowStart = windowEnd.minus(spec.window());
    this.staging = RunKeys.staging(table, key);
  }

  /** The sink's table; a snapshot replaces the table with the latest batch each run. */
  private static LakeTable table(PipelineSpec spec) {
    LakeTable sinkTable = spec.sink().lakeTable();
    return ((PlatformBatchesSource) spec.source()).snapshot()
        ? sinkTable.withMode("snapshot")
        : sinkTable;
  }

  /** The window's start, as a position before every batch created in the window. */
  Cursor windowStartCursor() {
    return new Cursor(windowStart.toEpochMilli(), null, null);
  }
}
