package dev.sluice.workflows.batchwindow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One route's batch window (BqTail's batching, as a durable workflow): the window opens with its
 * first file, collects every file signalled for the route's {@code window} (a durable timer), then
 * loads all of them as one batch (staged Parquet published as one commit, sent to a platform as one
 * batch first for a platform sink), then runs the route's deferred actions, only after the load
 * succeeded; when the load fails, it moves the files to the failure location instead. Each window's
 * journal is written beside the table.
 *
 * <p>One execution per window. Files signalled once the window closed (while it loads) belong to
 * the next one: the workflow continues as new with them, so its history stays one window long. A
 * notification after the workflow completed starts a new one through signal-with-start.
 */
@WorkflowInterface
public interface BatchWindowWorkflow {

  /**
   * Runs one window, then continues as new for the files that arrived meanwhile, if any. A window
   * whose load failed never completes: after its failure action and its journal (outcome {@code
   * FAILED}), it fails, or continues as new when files wait for the next window (which still runs).
   *
   * @return the journal of the (last) window, when its load succeeded
   * @throws io.temporal.failure.ApplicationFailure non-retryable, when the load failed: the load's
   *     own message and type, prefixed with the window ID and followed by a failed failure action
   *     and a journal that could not be written, if any; its details hold the window's journal
   */
  @WorkflowMethod
  WindowJournal run(WindowInput input);

  /**
   * A file arrived for this route. Two notifications of a file in one window load it once; a file
   * notified while the window loads goes to the next window (unless this window already has it).
   */
  @SignalMethod
  void fileArrived(FileArrival arrival);

  /** The window now: its stage, files and times. */
  @QueryMethod
  WindowView window();
}
