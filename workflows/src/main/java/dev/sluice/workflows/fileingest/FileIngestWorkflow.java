package dev.sluice.workflows.fileingest;

import dev.sluice.workflows.common.WorkflowIds;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Queue-style ingestion: one request lands one file as Parquet in its dataset's table. The task
 * queue is the queue: whoever asks starts this workflow (ID {@link WorkflowIds#fileIngest}), any
 * worker polling the queue picks it up, and a worker that dies mid-file hands the request to
 * another (the read is retried from the start of the file; the table never sees a partial file).
 *
 * <p>Two activities, bounded history (a handful of events): stage the file as Parquet, then publish
 * the staged files into the table in {@code append} mode under names derived from the request, so
 * ingesting the same file again replaces its earlier rows instead of adding them twice.
 */
@WorkflowInterface
public interface FileIngestWorkflow {

  /**
   * Ingests the file once.
   *
   * @return what was published
   * @throws io.temporal.failure.ApplicationFailure {@code InvalidPipeline} for an input that is not
   *     a request (no URI, a dataset name that is not a plain name, an unknown format); otherwise
   *     the staging activity's non-retryable failure ({@code SourceFileNotFound}, {@code
   *     HttpClientError}, {@code MalformedData}…) as its cause, after the staging was discarded
   */
  @WorkflowMethod
  FileIngestResult ingest(FileIngestInput input);

  /**
   * The same file was asked for again while this request was queued or running: once this ingest
   * ends (published or failed, not cancelled), the request continues as new and reads the file
   * again, so a version written after the read is not lost. Asked for while still queued, the file
   * is read twice; the second publish replaces the first's files, so the rows land once.
   */
  @SignalMethod
  void askedAgain();

  /** Stage, source URI and rows staged so far. */
  @QueryMethod
  FileIngestProgress progress();
}
