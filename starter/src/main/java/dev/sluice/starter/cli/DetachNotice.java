package dev.sluice.starter.cli;

import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.io.PrintWriter;

/**
 * What a command following a run says when it is interrupted (Ctrl-C, SIGTERM): the run goes on on
 * the workers, and how to follow or stop it. The JVM then exits 130 after Ctrl-C, as shells expect.
 * Closed once following ended normally, so nothing is printed at a normal exit.
 */
final class DetachNotice implements AutoCloseable {
  private final Thread hook;

  private DetachNotice(Thread hook) {
    this.hook = hook;
  }

  /** Prints the notice for {@code workflowId} to {@code err} if the JVM stops before {@link #close}. */
  static DetachNotice register(PrintWriter err, String workflowId) {
    Thread hook = new Thread(() -> print(err, workflowId), "sluice-detach-notice");
    Runtime.getRuntime().addShutdownHook(hook);
    return new DetachNotice(hook);
  }

  /** The notice itself. */
  static void print(PrintWriter err, String workflowId) {
    err.println();
    err.println(
        "detached from "
            + workflowId
            + ": the run goes on. Follow it with `sluice status '"
            + workflowId
            + "'`, or stop it with `sluice cancel '"
            + workflowId
            + "'`.");
    err.flush();
  }

  /**
   * What a command that started {@code workflowId} says next: without {@code --wait}, how to follow
   * it, and true (the command is done); else nothing, and false.
   */
  static boolean notFollowing(PrintWriter out, String workflowId, boolean await) {
    if (!await) {
      out.println("follow it with: sluice status '" + workflowId + "'");
      return true;
    }
    out.flush();
    return false;
  }

  /** {@code what} already runs with the ID {@code e} names: how to follow or stop it; exit 1. */
  static int alreadyRunning(PrintWriter err, String what, WorkflowExecutionAlreadyStarted e) {
    err.println(
        what
            + ": "
            + e.getExecution().getWorkflowId()
            + " (follow it with `sluice status`, or stop it with `sluice cancel`)");
    return ExitCodes.RUN_FAILED;
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already stopping: the hook runs (or ran) and says so.
    }
  }
}
