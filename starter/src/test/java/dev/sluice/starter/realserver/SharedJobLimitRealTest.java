package dev.sluice.starter.realserver;

import dev.sluice.workflows.permits.LimitKeys;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.GenericStats;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workers.SluiceWorker;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.permits.PermitMessages.PermitsState;
import dev.sluice.workflows.permits.PermitsWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two pipelines sharing a {@code concurrency} key, three windows each, started at once on the real
 * server and run by two workers: the sandbox's export API, which counts the exports it has queued
 * or running, never sees more than the key's limit. Without the limit the two tables' runs would
 * overlap.
 */
@ExtendWith(RealTemporal.class)
class SharedJobLimitRealTest {
  private static final String QUEUE = "realserver-shared-job-limit";
  private static final String KEY = "generic-acme";

  @TempDir Path work;

  private Path pipeline(String name) throws Exception {
    return ExportPipelines.write(
        work, name, "  concurrency: {key: %s, maxRunningJobs: 1}".formatted(KEY));
  }

  @Test
  @Timeout(240)
  void givenTwoPipelinesSharingALimitOfOne_whenSixRunsStartAtOnceOnTwoWorkers_thenOneJobAtATime(
      TemporalDevServer server) throws Exception {
    SandboxConfig config = SandboxConfig.defaults();
    WorkflowServiceStubs service = SandboxWorker.service(server.address());
    WorkflowClient client = SandboxWorker.client(service);
    try (SandboxServer sandbox = SandboxServer.start(config);
        SluiceWorker one = SandboxWorker.start(client, QUEUE, sandbox, config);
        SluiceWorker two = SandboxWorker.start(client, QUEUE, sandbox, config)) {
      sandbox.generic().pollsBeforeReady(3);
      List<String> ids = new ArrayList<>();
      for (String name : List.of("limited-a", "limited-b")) {
        var spec = new PipelineLoader().load(pipeline(name)).spec();
        for (String day : List.of("2026-11-01", "2026-11-02", "2026-11-03")) {
          ids.add(PipelineRuns.start(client, QUEUE, spec, day));
        }
      }

      for (String id : ids) {
        AsyncIngestResult result =
            client
                .newUntypedWorkflowStub(id)
                .getResult(180, TimeUnit.SECONDS, AsyncIngestResult.class);
        assertThat(result.rows()).as(id).isPositive();
      }

      GenericStats stats = sandbox.generic().stats();
      assertThat(stats.exports()).hasSize(6);
      assertThat(stats.maxExportsInFlight())
          .as("exports queued or running at once, counted by the provider")
          .isEqualTo(1);
      PermitsState permits =
          client.newWorkflowStub(PermitsWorkflow.class, LimitKeys.permits(KEY)).state();
      assertThat(permits.holders()).isEmpty();
      assertThat(permits.waiters()).isEmpty();
    } finally {
      service.shutdownNow();
    }
  }
}
