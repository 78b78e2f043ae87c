package dev.sluice.workflows.replay;

import java.util.List;

/**
 * @param windows every window of the range, oldest first
 */
public record ReplayResult(List<Window> windows) {

  /** What happened to a window. */
  public enum Status {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED
  }

  /**
   * @param logicalDate the window's end
   * @param workflowId the run of the window
   * @param status its outcome
   * @param rows rows published
   * @param batchId the platform batch the window was sent as, when the sink is a platform
   * @param replaced the batches that batch superseded
   * @param error why it failed, or null
   */
  public record Window(
      String logicalDate,
      String workflowId,
      Status status,
      long rows,
      String batchId,
      List<String> replaced,
      String error) {}
}
