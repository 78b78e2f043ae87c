package dev.sluice.workflows.filedownload;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The DIL 2-step file download as one durable workflow: list the source's files into a staging list
 * beside the lake (step 1), then download them by index range, up to {@code source.maxParallel} at
 * once, skipping files already landed unchanged (step 2). A long listing is worked through over
 * several executions (continue-as-new with a cursor), so history stays bounded.
 */
@WorkflowInterface
public interface FileDownloadWorkflow {

  /**
   * Runs the pipeline once.
   *
   * @return what was listed, downloaded and skipped
   * @throws io.temporal.failure.ApplicationFailure {@code FilesFailed} (non-retryable) naming the
   *     files that did not land, after every other file landed; the listing's own failures ({@code
   *     InvalidPipeline}, {@code HttpClientError}, {@code AuthFailed}…)
   */
  @WorkflowMethod
  FileDownloadResult run(FileDownloadInput input);

  /** Where the run is now. */
  @QueryMethod
  FileDownloadProgress progress();
}
