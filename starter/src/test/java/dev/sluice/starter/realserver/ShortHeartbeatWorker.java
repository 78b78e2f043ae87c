package dev.sluice.starter.realserver;

import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workers.SearchAttributeRegistrar;
import dev.sluice.workers.SluiceWorker;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflowImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import java.time.Duration;
import java.util.Map;

/**
 * A whole worker (the ingest workflow and every activity) in a process of its own, so a test can
 * SIGKILL it mid-extract on a real server, whose extracts it schedules with a heartbeat timeout of
 * {@code EXTRACT_HEARTBEAT_TIMEOUT} seconds instead of the production 30: the server notices the
 * dead worker that much sooner. Also {@code TEMPORAL_ADDRESS}, {@code SLUICE_TASK_QUEUE} and the
 * providers' variables from the environment.
 */
public final class ShortHeartbeatWorker {
  static final String TIMEOUT_VARIABLE = "EXTRACT_HEARTBEAT_TIMEOUT";

  private ShortHeartbeatWorker() {}

  /**
   * Workflow options that schedule the extract and its parts with heartbeat {@code timeout} instead
   * of the EXTRACT profile's 30 seconds (per activity type, overriding the workflow's own options):
   * a killed worker's attempt times out that much sooner. The extract heartbeats every 5 seconds,
   * so 10 seconds still only fires for a worker that is gone.
   */
  public static WorkflowImplementationOptions extractHeartbeatTimeout(Duration timeout) {
    ActivityOptions shorter = ActivityOptions.newBuilder().setHeartbeatTimeout(timeout).build();
    return WorkflowImplementationOptions.newBuilder()
        .setActivityOptions(Map.of("Extract", shorter, "ExtractPart", shorter))
        .build();
  }

  public static void main(String[] args) throws InterruptedException {
    WorkflowClient client =
        SandboxWorker.client(SandboxWorker.service(System.getenv("TEMPORAL_ADDRESS")));
    SearchAttributeRegistrar.register(
        client.getWorkflowServiceStubs(), TemporalDevServer.NAMESPACE);
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker =
        factory.newWorker(
            System.getenv("SLUICE_TASK_QUEUE"),
            WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(SluiceWorker.HEARTBEAT_THROTTLE)
                .build());
    Duration timeout = Duration.ofSeconds(Long.parseLong(System.getenv(TIMEOUT_VARIABLE)));
    worker.registerWorkflowImplementationTypes(
        extractHeartbeatTimeout(timeout), AsyncIngestWorkflowImpl.class);
    ActivityLibrary.create(System::getenv, new SimpleMeterRegistry()).registerOn(worker);
    factory.start();
    System.out.println("worker polling " + System.getenv("SLUICE_TASK_QUEUE"));
    Thread.currentThread().join();
  }
}
