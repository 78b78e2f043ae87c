package dev.sluice.workflows.platformingest;

import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.common.LogicalDates;
import dev.sluice.workflows.common.TaskQueues;
import dev.sluice.workflows.common.Windows;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;

/** What every step of a platform ingest derives from the input and the workflow's info. */
final class PlatformRun {
  final PipelineSpec spec;
  final PlatformBatchesSource source;
  final ParquetSink table;
  final String windowId;
  final String key;
  final String staging;
  final Instant windowStart;
  final Instant windowEnd;
  final String logicalDate;
  final String firstRunId;

  PlatformRun(PlatformIngestInput input) {
    this.spec = input.pipeline();
    this.source = (PlatformBatchesSource) spec.source();
    ParquetSink sinkTable = spec.sink().table();
    // A snapshot replaces the table with the latest batch each run.
    this.table =
        source.snapshot()
            ? new ParquetSink(
                sinkTable.path(),
                "snapshot",
                sinkTable.compression(),
                sinkTable.targetFileSize(),
                sinkTable.columns(),
                sinkTable.inferRows())
            : sinkTable;
    this.logicalDate = LogicalDates.resolve(input.logicalDate());
    this.firstRunId = Workflow.getInfo().getFirstExecutionRunId();
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
    this.windowId = TaskQueues.ingestWorkflowId(spec.name(), logicalDate);
    this.key = RunKeys.of(windowId);
    this.staging = RunKeys.staging(table, key);
  }

  /** The run as a lease holder: stable across retries. */
  Holder holder() {
    return new Holder(Workflow.getInfo().getWorkflowId(), firstRunId);
  }

  /** The window's start, as a position before every batch created in the window. */
  Cursor windowStartCursor() {
    return new Cursor(windowStart.toEpochMilli(), null, null);
  }
}
