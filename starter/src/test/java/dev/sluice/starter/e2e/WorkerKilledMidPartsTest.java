package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.dev.EmbeddedTemporal;
import dev.sluice.starter.realserver.ShortHeartbeatWorker;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workers.SluiceWorker;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflowImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process killed with SIGKILL while Snowflake partitions download in parallel: another
 * worker takes every unfinished part over, the statement is never submitted again, and every
 * partition lands exactly once, in one commit.
 */
class WorkerKilledMidPartsTest {
  static final String QUEUE = "kill-parts";
  static final int ROWS = 1200;
  static final int PARTITIONS = 12;

  @TempDir Path work;

  @Test
  @Timeout(240)
  void givenWorkerKilledDuringParallelPartitions_whenAnotherWorkerTakesOver_thenEachPartitionOnce()
      throws Exception {
    SandboxConfig config = SandboxConfig.defaults().withSeed(23);
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        SandboxServer sandbox = SandboxServer.start(config)) {
      sandbox.snowflake().result(ROWS, PARTITIONS);
      // Each partition takes 2 seconds: four at a time, the download lasts about 6 seconds.
      sandbox.snowflake().partitionDelay(Duration.ofSeconds(2));
      Path pipeline = work.resolve("snowflake-sql-partitions.yaml");
      Files.writeString(
          pipeline,
          Files.readString(Path.of("../examples/snowflake-sql-partitions.yaml"))
              .replace("interval: 2s", "interval: 100ms"));
      var spec = new PipelineLoader().load(pipeline).spec();
      Map<String, String> env = DevEnvironment.sandboxEnvironment(sandbox, config);

      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      WorkflowClient client =
          WorkflowClient.newInstance(
              service, WorkflowClientOptions.newBuilder().setNamespace("default").build());

      WorkerFactory workflows = WorkerFactory.newInstance(client);
      workflows
          .newWorker(QUEUE)
          .registerWorkflowImplementationTypes(
              ShortHeartbeatWorker.extractHeartbeatTimeout(Duration.ofSeconds(10)),
              AsyncIngestWorkflowImpl.class);
      workflows.start();
      Process doomed =
          MidExtract.workerProcess(
              ActivityOnlyWorker.class,
              temporal.address(),
              QUEUE,
              env,
              work.resolve("doomed-worker.log"));
      try {
        String id = PipelineRuns.start(client, QUEUE, spec, "2026-12-06T00:00:00Z");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        // Killed once the first four partitions are being served (none of them answered yet).
        while (sandbox.snowflake().stats().partitionRequests() < 4
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        doomed.destroyForcibly().waitFor();
        long requestedBeforeKill = sandbox.snowflake().stats().partitionRequests();
        assertThat(requestedBeforeKill).as("killed mid-download").isLessThan(PARTITIONS);
        // The slow pages only had to keep the kill mid-download: the survivor gets the rest at
        // once.
        sandbox.snowflake().partitionDelay(Duration.ZERO);

        try (SluiceWorker survivor =
            SluiceWorker.start(
                client,
                QUEUE,
                ActivityLibrary.create(
                    name -> env.getOrDefault(name, System.getenv(name)), new SimpleMeterRegistry()),
                Duration.ofSeconds(5))) {
          AsyncIngestResult result =
              client.newUntypedWorkflowStub(id).getResult(AsyncIngestResult.class);

          assertThat(result.rows()).isEqualTo(ROWS);
          assertThat(result.pages()).isEqualTo(PARTITIONS);
          var stats = sandbox.snowflake().stats();
          assertThat(stats.statementsSubmitted())
              .as("the statement is never submitted twice")
              .isEqualTo(1);
          assertThat(stats.partitionRequests())
              .as("the killed parts downloaded again, the others not")
              .isGreaterThan(PARTITIONS)
              .isLessThanOrEqualTo(PARTITIONS + requestedBeforeKill);
          assertThat(ResultPartsEndToEndTest.orders(work.resolve("out/snowflake-orders")))
              .containsExactlyElementsOf(sandbox.snowflake().rows());
        }
      } finally {
        doomed.destroyForcibly();
        workflows.shutdownNow();
        service.shutdownNow();
      }
    }
  }
}
