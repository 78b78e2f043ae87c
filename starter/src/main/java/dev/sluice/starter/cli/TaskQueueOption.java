package dev.sluice.starter.cli;

import dev.sluice.workflows.common.TaskQueues;
import picocli.CommandLine.Option;

/** The task queue, for the commands that start runs or poll for them. */
public final class TaskQueueOption {
  @Option(
      names = "--task-queue",
      paramLabel = "NAME",
      description =
          "Task queue the workers poll (default: $SLUICE_TASK_QUEUE or ${DEFAULT-VALUE}).",
      defaultValue = "${env:SLUICE_TASK_QUEUE:-" + TaskQueues.DEFAULT + "}")
  String taskQueue;

  public String taskQueue() {
    return taskQueue;
  }
}
