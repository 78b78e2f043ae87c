package dev.sluice.workflows.platformingest;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The platform guide's execution phase as one durable workflow: wait until the source dataset's
 * latest batch is final, list the batches of the run's window (after the stored watermark, or the
 * latest successful one for a snapshot), read each batch's files into staged Parquet (one at a time
 * in created order, or several at once), apply the pipeline's deferral rule, send the result to a
 * platform sink if the pipeline has one, then publish and advance the watermark.
 */
@WorkflowInterface
public interface PlatformIngestWorkflow {

  /**
   * Runs the pipeline once.
   *
   * @return what was read and published
   * @throws io.temporal.failure.ApplicationFailure {@code SourceNotSettled} when the latest batch
   *     stayed not final past {@code source.settleTimeout}; {@code SourceBatchFailed} naming the
   *     source batch that could not be read (batches before it are published in {@code ordered}
   *     processing); {@code PlatformBatchFailed} when the sink's batch failed
   */
  @WorkflowMethod
  PlatformIngestResult run(PlatformIngestInput input);

  /** Where the run is now. */
  @QueryMethod
  PlatformIngestProgress progress();
}
