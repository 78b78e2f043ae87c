package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.permits.PermitHolder;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The DIL asynchronous ingestion pattern as one durable workflow: submit the provider job, poll it
 * on durable timers until it is ready (or failed, or the wait times out), extract its result to
 * staged Parquet, publish the files into the table, then advance the watermark.
 */
@WorkflowInterface
public interface AsyncIngestWorkflow extends PermitHolder {

  /**
   * Runs the pipeline once.
   *
   * @return what was published, with per-stage timings
   * @throws io.temporal.failure.ApplicationFailure {@code ProviderJobFailed} with the provider's
   *     own message; {@code WaitTimeout} naming the timeout, after the job was aborted; any
   *     non-retryable activity failure (malformed data, auth, bad request) as its cause
   */
  @WorkflowMethod
  AsyncIngestResult run(AsyncIngestInput input);

  /** Where the run is now: stage, polls so far, provider state, rows and bytes written. */
  @QueryMethod
  Progress progress();
}
