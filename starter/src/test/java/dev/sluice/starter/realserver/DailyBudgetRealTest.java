package dev.sluice.starter.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workers.SluiceWorker;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflow;
import dev.sluice.workflows.asyncingest.Progress;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daily budget of one job on the real server, against the sandbox's export API: the day's second
 * run waits for the next UTC day (its stage says so and the provider never gets its export) and
 * leaves nothing behind when cancelled; with {@code onExceeded: fail} it fails with the budget's
 * one line instead.
 */
@ExtendWith(RealTemporal.class)
class DailyBudgetRealTest {
  private static final String QUEUE = "realserver-daily-budget";

  @TempDir Path work;

  private Path pipeline(String name, String key, String onExceeded) throws Exception {
    return ExportPipelines.write(
        work,
        name,
        "  budget: {key: %s, maxJobsPerDay: 1, onExceeded: %s}".formatted(key, onExceeded));
  }

  @Test
  @Timeout(180)
  void givenADailyBudgetOfOneJob_whenASecondRunStartsTheSameDay_thenItWaitsWithoutSubmitting(
      TemporalDevServer server) throws Exception {
    SandboxConfig config = SandboxConfig.defaults();
    WorkflowServiceStubs service = SandboxWorker.service(server.address());
    WorkflowClient client = SandboxWorker.client(service);
    try (SandboxServer sandbox = SandboxServer.start(config);
        SluiceWorker worker = SandboxWorker.start(client, QUEUE, sandbox, config)) {
      var spec = new PipelineLoader().load(pipeline("budget-wait", "daily-wait", "wait")).spec();
      String first = PipelineRuns.start(client, QUEUE, spec, "2026-11-01");
      AsyncIngestResult done =
          client
              .newUntypedWorkflowStub(first)
              .getResult(120, TimeUnit.SECONDS, AsyncIngestResult.class);
      assertThat(done.rows()).isPositive();

      String second = PipelineRuns.start(client, QUEUE, spec, "2026-11-02");
      AsyncIngestWorkflow waiting = client.newWorkflowStub(AsyncIngestWorkflow.class, second);
      Progress progress = waiting.progress();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (progress.stage() != Progress.Stage.WAITING_FOR_BUDGET && System.nanoTime() < until) {
        Thread.sleep(200);
        progress = waiting.progress();
      }
      assertThat(progress.stage()).isEqualTo(Progress.Stage.WAITING_FOR_BUDGET);
      assertThat(progress.waitingFor())
          .contains("daily-wait")
          .contains("waiting for the next UTC day");
      assertThat(sandbox.generic().stats().exports())
          .as("the waiting run sent no export")
          .hasSize(1);

      WorkflowStub.fromTyped(waiting).cancel();
      assertThatThrownBy(
              () ->
                  client
                      .newUntypedWorkflowStub(second)
                      .getResult(60, TimeUnit.SECONDS, AsyncIngestResult.class))
          .isInstanceOf(WorkflowFailedException.class);
      assertThat(sandbox.generic().stats().exports()).hasSize(1);
      assertThat(work.resolve("out/budget-wait")).isDirectory();
    } finally {
      service.shutdownNow();
    }
  }

  @Test
  @Timeout(180)
  void givenADailyBudgetOfOneJobThatFails_whenASecondRunStartsTheSameDay_thenItFailsInOneLine(
      TemporalDevServer server) throws Exception {
    SandboxConfig config = SandboxConfig.defaults();
    WorkflowServiceStubs service = SandboxWorker.service(server.address());
    WorkflowClient client = SandboxWorker.client(service);
    try (SandboxServer sandbox = SandboxServer.start(config);
        SluiceWorker worker = SandboxWorker.start(client, QUEUE, sandbox, config)) {
      var spec = new PipelineLoader().load(pipeline("budget-fail", "daily-fail", "fail")).spec();
      String first = PipelineRuns.start(client, QUEUE, spec, "2026-11-01");
      client
          .newUntypedWorkflowStub(first)
          .getResult(120, TimeUnit.SECONDS, AsyncIngestResult.class);

      String second = PipelineRuns.start(client, QUEUE, spec, "2026-11-02");

      assertThatThrownBy(
              () ->
                  client
                      .newUntypedWorkflowStub(second)
                      .getResult(60, TimeUnit.SECONDS, AsyncIngestResult.class))
          .isInstanceOf(WorkflowFailedException.class)
          .rootCause()
          .hasMessageContaining("budget daily-fail spent on")
          .hasMessageContaining("maxJobsPerDay 1");
      assertThat(sandbox.generic().stats().exports()).as("no export for the refused run").hasSize(1);
    } finally {
      service.shutdownNow();
    }
  }
}
