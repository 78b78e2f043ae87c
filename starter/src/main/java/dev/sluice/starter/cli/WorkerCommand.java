package dev.sluice.starter.cli;

import dev.sluice.workers.WorkerLimits;
import dev.sluice.workers.WorkerMain;
import dev.sluice.workers.WorkerSettings;
import dev.sluice.workers.metrics.MetricsSettings;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice worker}: a worker process for a real Temporal service. */
@Command(
    name = "worker",
    description =
        "Run a worker: host every Sluice workflow and activity on the task queue; drain on"
            + " SIGTERM.",
    mixinStandardHelpOptions = true)
public final class WorkerCommand extends CliCommand {
  @Mixin ConnectionOptions connection;
  @Mixin TaskQueueOption queue;

  @Option(
      names = "--drain",
      paramLabel = "SECONDS",
      description =
          "On SIGTERM, let running activities finish for this long (default: $SLUICE_DRAIN_SECONDS"
              + " or ${DEFAULT-VALUE}).",
      defaultValue = "${env:SLUICE_DRAIN_SECONDS:-30}")
  long drainSeconds;

  @Option(
      names = "--workflow-cache-size",
      paramLabel = "N",
      description =
          "Workflow executions kept in memory between tasks; 0 keeps none, so every task replays"
              + " its run's history (default: $SLUICE_WORKFLOW_CACHE_SIZE or ${DEFAULT-VALUE}).",
      defaultValue = "${env:SLUICE_WORKFLOW_CACHE_SIZE:-600}")
  int workflowCacheSize;

  @Option(
      names = "--max-concurrent-activities",
      paramLabel = "N",
      description =
          "Activities this worker runs at once (default: $SLUICE_MAX_CONCURRENT_ACTIVITIES or"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "${env:SLUICE_MAX_CONCURRENT_ACTIVITIES:-200}")
  int maxConcurrentActivities;

  @Option(
      names = "--activities-per-second",
      paramLabel = "RATE",
      description = {
        "Activities started per second across all workers of the task queue, enforced by the"
            + " server;",
        "with a task queue per provider, that provider's rate limit (default:"
            + " $SLUICE_TASK_QUEUE_ACTIVITIES_PER_SECOND or ${DEFAULT-VALUE}: unlimited)."
      },
      defaultValue = "${env:SLUICE_TASK_QUEUE_ACTIVITIES_PER_SECOND:-0}")
  double activitiesPerSecond;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve Prometheus metrics at http://BIND:PORT/metrics; 0 turns it off (default:"
              + " $SLUICE_METRICS_PORT or ${DEFAULT-VALUE}).",
      defaultValue = "${env:SLUICE_METRICS_PORT:-9464}")
  int metricsPort;

  @Option(
      names = "--metrics-bind",
      paramLabel = "ADDRESS",
      description =
          "Address the metrics endpoint listens on; 0.0.0.0 in a container (default:"
              + " $SLUICE_METRICS_BIND or ${DEFAULT-VALUE}).",
      defaultValue = "${env:SLUICE_METRICS_BIND:-127.0.0.1}")
  String metricsBind;

  @Option(
      names = "--notify-port",
      paramLabel = "PORT",
      description =
          "Take file-arrival notifications for the batch windows at http://BIND:PORT/notify,"
              + " matched against --routes; 0 turns it off (default: $SLUICE_NOTIFY_PORT or"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "${env:SLUICE_NOTIFY_PORT:-0}")
  int notifyPort;

  @Option(
      names = "--notify-bind",
      paramLabel = "ADDRESS",
      description =
          "Address the notify endpoint listens on (default: $SLUICE_NOTIFY_BIND or"
              + " ${DEFAULT-VALUE}).",
      defaultValue = "${env:SLUICE_NOTIFY_BIND:-127.0.0.1}")
  String notifyBind;

  @Mixin RoutesOption routes;
  @Mixin DebugLogging.Flag debug;

  /** The metrics endpoint these flags ask for. */
  MetricsSettings metricsSettings() {
    return new MetricsSettings(metricsBind, metricsPort);
  }

  @Override
  public Integer call() throws InterruptedException {
    debug.apply();
    try {
      // WorkerMain reads it again; checked here so a bad key setup is a message, not a stack trace.
      dev.sluice.workers.codec.PayloadEncryption.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      err().println("payload encryption is misconfigured: " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    MetricsSettings metricsSettings;
    try {
      metricsSettings = metricsSettings();
    } catch (IllegalArgumentException e) {
      err().println("--metrics-port: " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    dev.sluice.workers.notify.NotifySettings notify =
        dev.sluice.workers.notify.NotifySettings.disabled();
    if (notifyPort != 0) {
      // Loaded before the worker starts: a bad routes file is a message and exit 2, not a worker
      // that answers every notification with an error.
      dev.sluice.workflows.batchwindow.Routes loaded = routes.load(err());
      if (loaded == null) {
        return ExitCodes.INVALID_INPUT;
      }
      try {
        notify = new dev.sluice.workers.notify.NotifySettings(notifyBind, notifyPort, loaded);
      } catch (IllegalArgumentException e) {
        err().println("--notify-port: " + e.getMessage());
        return ExitCodes.INVALID_INPUT;
      }
    }
    WorkerMain.run(
        new WorkerSettings(
            connection.address(),
            connection.namespace(),
            queue.taskQueue(),
            Duration.ofSeconds(drainSeconds),
            new WorkerLimits(workflowCacheSize, maxConcurrentActivities, activitiesPerSecond)),
        metricsSettings,
        notify);
    return ExitCodes.OK;
  }
}
