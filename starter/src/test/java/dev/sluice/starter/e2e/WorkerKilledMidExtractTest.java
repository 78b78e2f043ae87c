package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.ContactData;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process killed with SIGKILL in the middle of a download: another worker takes the
 * extract over from its last checkpoint, the provider job is never submitted again, and every row
 * lands exactly once.
 */
class WorkerKilledMidExtractTest {
  static final String QUEUE = "kill";
  static final int CONTACTS = 2000;

  @TempDir Path work;

  @Test
  @Timeout(240)
  void givenWorkerKilledMidExtract_whenAnotherWorkerTakesOver_thenEveryRowLandsOnceFromOneJob()
      throws Exception {
    SandboxConfig config = SandboxConfig.defaults().withContactRecords(CONTACTS);
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        SandboxServer sandbox = SandboxServer.start(config)) {
      // 20 pages of 100 rows, a second each: a download of 20 seconds, with a checkpoint after
      // every page. Checkpoints reach the server every 5s.
      sandbox.salesforce().pageDelay(Duration.ofSeconds(1));
      Path pipeline = MidExtract.pipeline(work, 100);
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
        String id = PipelineRuns.start(client, QUEUE, spec, "2026-11-10T00:00:00Z");
        int checkpointedPages = MidExtract.awaitCheckpoint(client, id, 3);
        doomed.destroyForcibly().waitFor();
        long pagesBeforeKill = sandbox.salesforce().stats().resultPagesServed();
        assertThat(pagesBeforeKill).as("killed mid-download").isLessThan(CONTACTS / 100);
        // The slow pages only had to keep the kill mid-download: the survivor gets the rest at
        // once.
        sandbox.salesforce().pageDelay(Duration.ZERO);

        try (SluiceWorker survivor =
            SluiceWorker.start(
                client,
                QUEUE,
                ActivityLibrary.create(
                    name -> env.getOrDefault(name, System.getenv(name)), new SimpleMeterRegistry()),
                Duration.ofSeconds(5))) {
          AsyncIngestResult result =
              client.newUntypedWorkflowStub(id).getResult(AsyncIngestResult.class);

          assertThat(result.rows()).isEqualTo(CONTACTS);
          var stats = sandbox.salesforce().stats();
          assertThat(stats.jobsCreated())
              .as("the provider job is never submitted twice")
              .isEqualTo(1);
          // One page may have been in flight when the worker died and be counted late.
          assertThat(stats.resultPagesServed())
              .as("the new worker resumes after the %d checkpointed pages", checkpointedPages)
              .isLessThanOrEqualTo(pagesBeforeKill + 1 + (CONTACTS / 100) - checkpointedPages);
          Path table = work.resolve("out/salesforce-contacts");
          assertThat(ParquetTables.contacts(table))
              .containsExactlyElementsOf(
                  ParquetTables.expected(ContactData.rows(config.seed(), 0, CONTACTS)));
        }
      } finally {
        doomed.destroyForcibly();
        workflows.shutdownNow();
        service.shutdownNow();
      }
    }
  }
}
