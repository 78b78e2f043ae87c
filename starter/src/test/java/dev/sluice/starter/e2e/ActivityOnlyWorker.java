package dev.sluice.starter.e2e;

import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workers.SluiceWorker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;

/**
 * A worker process that hosts only the activities, so a test can kill it with SIGKILL in the middle
 * of an extract. Workflow tasks stay on a worker that lives: Temporal's Java test server never
 * moves a workflow task off a dead worker's sticky queue (a real server does after 5s).
 */
public final class ActivityOnlyWorker {
  private ActivityOnlyWorker() {}

  public static void main(String[] args) throws InterruptedException {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(System.getenv("TEMPORAL_ADDRESS"))
                .build());
    WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(service));
    // The heartbeat throttle of every Sluice worker: checkpoints reach the server within seconds.
    Worker worker =
        factory.newWorker(
            System.getenv("SLUICE_TASK_QUEUE"),
            WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(SluiceWorker.HEARTBEAT_THROTTLE)
                .build());
    ActivityLibrary.create(System::getenv, new SimpleMeterRegistry()).registerOn(worker);
    factory.start();
    Thread.currentThread().join();
  }
}
