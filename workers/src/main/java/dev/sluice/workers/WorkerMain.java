package dev.sluice.workers;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker process: {@code java -jar sluice.jar worker}, or this class directly. Connects to
 * {@code TEMPORAL_ADDRESS} / {@code TEMPORAL_NAMESPACE}, polls {@code SLUICE_TASK_QUEUE}, and on
 * SIGTERM drains before it exits.
 */
public final class WorkerMain {
  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  private WorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    WorkerSettings settings = WorkerSettings.fromEnvironment(System.getenv());
    run(settings);
  }

  /** Runs a worker until the JVM is asked to stop. */
  public static void run(WorkerSettings settings) throws InterruptedException {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(settings.address()).build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace(settings.namespace()).build());
    SluiceWorker worker =
        SluiceWorker.start(
            client,
            settings.taskQueue(),
            ActivityLibrary.create(System::getenv, new SimpleMeterRegistry()),
            settings.drain(),
            settings.workflowCacheSize());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping: draining for up to {}", settings.drain());
                  worker.close();
                  service.shutdown();
                  stopped.countDown();
                },
                "sluice-worker-shutdown"));
    log.info("connected to {} ", settings.address());
    stopped.await();
  }
}
