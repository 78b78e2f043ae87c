package dev.sluice.workflows.common;

/** Task queue and workflow ID conventions shared by workers and the CLI. */
public final class TaskQueues {
  private TaskQueues() {}

  /** The default task queue every Sluice worker polls. */
  public static final String DEFAULT = "sluice";

  /** {@code ingest/<pipeline>/<logical-date>}: readable at a glance, one run per window. */
  public static String ingestWorkflowId(String pipeline, String logicalDate) {
    return "ingest/" + pipeline + "/" + logicalDate;
  }
}
