package dev.sluice.starter.cli;

import dev.sluice.workers.WorkerMain;
import dev.sluice.workers.WorkerSettings;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice worker}: a worker process for a real Temporal service. */
@Command(
    name = "worker",
    description = "Run a worker: host every Sluice workflow and activity on the task queue; drain on SIGTERM.",
    mixinStandardHelpOptions = true)
public final class WorkerCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Mixin TaskQueueOption queue;

  @Option(
      names = "--drain",
      paramLabel = "SECONDS",
      description = "On SIGTERM, let running activities finish for this long (default: $SLUICE_DRAIN_SECONDS or ${DEFAULT-VALUE}).",
      defaultValue = "${env:SLUICE_DRAIN_SECONDS:-30}")
  long drainSeconds;

  @Option(
      names = "--workflow-cache-size",
      paramLabel = "N",
      description = "Workflow executions kept in memory between tasks (default: $SLUICE_WORKFLOW_CACHE_SIZE or ${DEFAULT-VALUE}).",
      defaultValue = "${env:SLUICE_WORKFLOW_CACHE_SIZE:-600}")
  int workflowCacheSize;

  @Override
  public Integer call() throws InterruptedException {
    WorkerMain.run(
        new WorkerSettings(
            connection.address(),
            connection.namespace(),
            queue.taskQueue(),
            Duration.ofSeconds(drainSeconds),
            workflowCacheSize));
    return ExitCodes.OK;
  }
}
