package dev.sluice.workers;

import dev.sluice.workflows.asyncingest.AsyncIngestWorkflowImpl;
import dev.sluice.workflows.asyncingest.SplitJobWorkflowImpl;
import dev.sluice.workflows.batchegress.BatchEgressWorkflowImpl;
import dev.sluice.workflows.batchwindow.BatchWindowWorkflowImpl;
import dev.sluice.workflows.filedownload.FileDownloadWorkflowImpl;
import dev.sluice.workflows.fileingest.FileIngestWorkflowImpl;
import dev.sluice.workflows.permits.BudgetWorkflowImpl;
import dev.sluice.workflows.maintenance.TableMaintenanceWorkflowImpl;
import dev.sluice.workflows.permits.PermitsWorkflowImpl;
import dev.sluice.workflows.platformingest.PlatformIngestWorkflowImpl;
import dev.sluice.workflows.replay.ReplayWorkflowImpl;
import dev.sluice.workflows.workunits.WorkUnitsWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A worker hosting every Sluice workflow and activity on one task queue. */
public final class SluiceWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SluiceWorker.class);

  /**
   * Longest time between two heartbeat requests of one activity ({@code
   * WorkerOptions.maxHeartbeatThrottleInterval}; the SDK's default is up to a minute): an extract
   * heartbeats every 5s, so a cancellation reaches it within about that, and its checkpoints reach
   * the server that soon (one request every 5s per running transfer).
   */
  public static final Duration HEARTBEAT_THROTTLE = Duration.ofSeconds(5);

  /** Every workflow a Sluice worker hosts. */
  private static final List<Class<?>> WORKFLOWS =
      List.of(
          AsyncIngestWorkflowImpl.class,
          BatchEgressWorkflowImpl.class,
          BatchWindowWorkflowImpl.class,
          FileDownloadWorkflowImpl.class,
          FileIngestWorkflowImpl.class,
          PermitsWorkflowImpl.class,
          BudgetWorkflowImpl.class,
          PlatformIngestWorkflowImpl.class,
          ReplayWorkflowImpl.class,
          SplitJobWorkflowImpl.class,
          TableMaintenanceWorkflowImpl.class,
          WorkUnitsWorkflowImpl.class);

  private final WorkerFactory factory;
  private final Duration drain;
  private final String registered;

  private SluiceWorker(WorkerFactory factory, Duration drain, String registered) {
    this.factory = factory;
    this.drain = drain;
    this.registered = registered;
  }

  /**
   * Registers every workflow and activity and starts polling {@code taskQueue}.
   *
   * @param drain how long {@link #close()} lets running activities finish
   */
  public static SluiceWorker start(
      WorkflowClient client, String taskQueue, ActivityLibrary activities, Duration drain) {
    return start(client, taskQueue, activities, drain, WorkerLimits.DEFAULTS);
  }

  /**
   * As {@link #start(WorkflowClient, String, ActivityLibrary, Duration)}, within {@code limits}:
   * the workflow cache, concurrent activities, and the task queue's activity rate.
   */
  public static SluiceWorker start(
      WorkflowClient client,
      String taskQueue,
      ActivityLibrary activities,
      Duration drain,
      WorkerLimits limits) {
    WorkerFactory factory =
        WorkerFactory.newInstance(
            client,
            WorkerFactoryOptions.newBuilder()
                .setWorkflowCacheSize(limits.workflowCacheSize())
                // One console line per run started and finished and per failed activity attempt.
                .setWorkerInterceptors(new RunLog())
                .build());
    WorkerOptions.Builder options =
        WorkerOptions.newBuilder()
            .setMaxConcurrentActivityExecutionSize(limits.maxConcurrentActivities())
            .setMaxConcurrentWorkflowTaskPollers(limits.workflowPollers())
            .setMaxConcurrentActivityTaskPollers(limits.activityPollers())
            // Heartbeats reach the server at most this far apart (the SDK's default is up to a
            // minute): the answer to one is how a running extract learns that its run was
            // cancelled, and it then frees its thread within seconds, not a minute.
            .setMaxHeartbeatThrottleInterval(HEARTBEAT_THROTTLE);
    if (limits.activitiesPerSecond() > 0) {
      // Enforced by the server for every worker of this queue, not per worker.
      options.setMaxTaskQueueActivitiesPerSecond(limits.activitiesPerSecond());
    }
    Worker worker = factory.newWorker(taskQueue, options.build());
    worker.registerWorkflowImplementationTypes(WORKFLOWS.toArray(new Class<?>[0]));
    activities.registerOn(worker);
    registerSearchAttributes(client);
    factory.start();
    String registered =
        WORKFLOWS.size()
            + " workflows ("
            + WORKFLOWS.stream()
                .map(c -> c.getSimpleName().replaceFirst("Impl$", ""))
                .collect(Collectors.joining(", "))
            + ") and "
            + activities.size()
            + " activity implementations";
    log.debug("worker polling task queue '{}': {}", taskQueue, registered);
    return new SluiceWorker(factory, drain, registered);
  }

  /** What this worker hosts, for its start line: the workflow types and activity count. */
  public String registered() {
    return registered;
  }

  /**
   * Makes the Web UI's Sluice columns possible (see {@link SearchAttributeRegistrar}). A worker is
   * useful without them, and the server may not be up yet (the SDK keeps retrying its polls), so
   * nothing here stops the worker from starting.
   */
  private static void registerSearchAttributes(WorkflowClient client) {
    try {
      SearchAttributeRegistrar.register(
          client.getWorkflowServiceStubs(), client.getOptions().getNamespace());
    } catch (RuntimeException e) {
      log.warn("search attributes not registered: {}", e.toString());
    }
  }

  /**
   * Drains: stops polling for new tasks, lets running activities finish for up to the drain period,
   * then stops. An activity cut off here is retried by another worker, resuming from its last
   * heartbeat.
   */
  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(drain.toMillis(), TimeUnit.MILLISECONDS);
    if (!factory.isTerminated()) {
      log.warn(
          "activities still running after {}; stopping them (they will be retried elsewhere)",
          drain);
      factory.shutdownNow();
      factory.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
