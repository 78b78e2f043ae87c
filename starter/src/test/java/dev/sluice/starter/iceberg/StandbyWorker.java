package dev.sluice.starter.iceberg;

import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workers.SluiceWorker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An activity-only worker process (as {@code e2e.ActivityOnlyWorker}) that starts its JVM, its
 * activities and the Iceberg and Hadoop classes it will commit with, then waits to poll until the
 * file {@value #GO} names exists: the kill tests start it beside the doomed worker and let it poll
 * only once that one is dead, so the take-over does not wait for a JVM to start.
 */
public final class StandbyWorker {
  /** Environment variable: the file whose creation lets the worker poll. */
  public static final String GO = "SLUICE_TEST_STANDBY_GO";

  private StandbyWorker() {}

  public static void main(String[] args) throws Exception {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder()
                .setTarget(System.getenv("TEMPORAL_ADDRESS"))
                .build());
    WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(service));
    var worker =
        factory.newWorker(
            System.getenv("SLUICE_TASK_QUEUE"),
            WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(SluiceWorker.HEARTBEAT_THROTTLE)
                .build());
    ActivityLibrary.create(System::getenv, new SimpleMeterRegistry()).registerOn(worker);
    // What the publish will load: Iceberg's Hadoop catalog, S3A, the Parquet footer reader.
    for (String name :
        new String[] {
          "org.apache.iceberg.hadoop.HadoopTables",
          "org.apache.iceberg.hadoop.HadoopTableOperations",
          "org.apache.iceberg.parquet.ParquetUtil",
          "org.apache.iceberg.MergeAppend",
          "org.apache.hadoop.fs.s3a.S3AFileSystem"
        }) {
      Class.forName(name);
    }
    Path go = Path.of(System.getenv(GO));
    while (!Files.exists(go)) {
      Thread.sleep(20);
    }
    factory.start();
    Thread.currentThread().join();
  }
}
