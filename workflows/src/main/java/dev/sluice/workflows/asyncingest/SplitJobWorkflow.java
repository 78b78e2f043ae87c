package dev.sluice.workflows.asyncingest;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One part of a split async-ingest window, a child of {@link AsyncIngestWorkflow}: submits the
 * part's provider job, waits for it on durable timers (continuing as new on its own), extracts its
 * result into a directory of the parent's staging, and deletes the job. It never publishes: the
 * parent commits every part at once.
 */
@WorkflowInterface
public interface SplitJobWorkflow {

  /**
   * Stages one part.
   *
   * @return what the part staged
   * @throws io.temporal.failure.ApplicationFailure {@code SplitNeeded} when the part itself must be
   *     split (its job failed matching {@code split.when}, or its result is over {@code
   *     split.maxRows}/{@code maxBytes}); any other failure of the job, the wait or the extract as
   *     the async-ingest run raises it. In every case the part's provider job was aborted or
   *     deleted
   */
  @WorkflowMethod
  SplitJobResult run(SplitJobInput input);
}
