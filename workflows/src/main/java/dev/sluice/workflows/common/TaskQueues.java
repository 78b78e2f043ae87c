package dev.sluice.workflows.common;

/** Task queue conventions shared by workers and the CLI (workflow IDs: {@link WorkflowIds}). */
public final class TaskQueues {
  private TaskQueues() {}

  /** The default task queue every Sluice worker polls. */
  public static final String DEFAULT = "sluice";
}
