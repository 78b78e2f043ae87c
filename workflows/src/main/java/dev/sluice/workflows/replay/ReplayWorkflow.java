package dev.sluice.workflows.replay;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Batch replay (the platform guide's "data reprocessing"): re-runs every window of a pipeline in a
 * range, each as the ordinary run of that window ({@code ingest/<pipeline>/<logical-date>}) marked
 * as a replay, oldest first, at most {@code maxParallel} at once. A window's files overwrite the
 * ones it published before, and a platform sink's new batch carries the platform's {@code replay}
 * block so it supersedes the batch the window was sent as.
 */
@WorkflowInterface
public interface ReplayWorkflow {

  /**
   * @return each window's outcome; the replay fails only when its input is invalid (a window that
   *     fails is reported, and the others still run)
   */
  @WorkflowMethod
  ReplayResult run(ReplayInput input);

  /** Windows done, failed and to go. */
  @QueryMethod
  ReplayResult progress();
}
