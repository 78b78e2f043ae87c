package dev.sluice.starter.cli;

import dev.sluice.workflows.common.TaskQueues;
import picocli.CommandLine.Option;

/**
 * Where the Temporal service is: the same flags on every command that talks to it, defaulting to
 * Temporal's own environment variables.
 */
public final class ConnectionOptions {
  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description = "Temporal frontend address (default: $TEMPORAL_ADDRESS or ${DEFAULT-VALUE}).",
      defaultValue = "${env:TEMPORAL_ADDRESS:-127.0.0.1:7233}")
  String address;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      description = "Temporal namespace (default: $TEMPORAL_NAMESPACE or ${DEFAULT-VALUE}).",
      defaultValue = "${env:TEMPORAL_NAMESPACE:-default}")
  String namespace;

  @Option(
      names = "--task-queue",
      paramLabel = "NAME",
      description = "Task queue the workers poll (default: $SLUICE_TASK_QUEUE or ${DEFAULT-VALUE}).",
      defaultValue = "${env:SLUICE_TASK_QUEUE:-" + TaskQueues.DEFAULT + "}")
  String taskQueue;

  public String address() {
    return address;
  }

  public String namespace() {
    return namespace;
  }

  public String taskQueue() {
    return taskQueue;
  }
}
