package dev.sluice.workflows.batchegress;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Sends Parquet files to a data platform dataset as one batch: create the batch, upload every file
 * (up to {@code sink.maxParallelUploads} at once), complete the batch, then poll its status on
 * durable timers (from {@code sink.pollInterval}, ×1.5 up to {@code sink.maxPollInterval}) until
 * the platform reports it successful or failed, or {@code sink.timeout} passes.
 *
 * <p>Exactly once: the batch ID is the result of the create activity, so it is in history before
 * the first upload and every retry or replay reuses it; each file is uploaded under a name derived
 * from its URI, so a retried upload overwrites rather than adds a file.
 */
@WorkflowInterface
public interface BatchEgressWorkflow {

  /**
   * Runs the egress once.
   *
   * @return the batch, its files and bytes, the platform's final status, per-stage timings
   * @throws io.temporal.failure.ApplicationFailure {@code PlatformBatchFailed} with the platform's
   *     error codes and descriptions verbatim and the batch ID; {@code WaitTimeout} naming {@code
   *     sink.timeout}, after the batch was aborted; {@code InvalidPipeline} for no files or two
   *     files with the same name; any non-retryable activity failure (auth, bad request) as its
   *     cause, after the batch was aborted. A cancelled run aborts its batch unless the platform
   *     already reported it final.
   */
  @WorkflowMethod
  BatchEgressResult run(BatchEgressInput input);

  /** Where the run is now: stage, batch ID, files and bytes uploaded, polls, platform status. */
  @QueryMethod
  EgressProgress progress();
}
