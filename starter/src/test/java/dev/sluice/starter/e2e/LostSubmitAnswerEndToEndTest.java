package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.GenericStats;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflow;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflowImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generic export example run by the real workflow and the worker's activities while the API
 * creates the export and then closes the connection without answering. The example sends {@code
 * Idempotency-Key: ${idempotencyKey}}: the submit's retry, a new activity attempt with the same
 * key, gets the export the lost answer would have named, and the run reads it.
 */
class LostSubmitAnswerEndToEndTest {
  private static final int EVENTS = 300;

  @TempDir Path work;

  @Test
  void givenExportCreateAnswerLost_whenExamplePipelineRuns_thenOneExportAndEveryEventOnce()
      throws Exception {
    SandboxConfig config = SandboxConfig.defaults().withEventRecords(EVENTS);
    Path pipeline = work.resolve("events.yaml");
    Files.copy(Path.of("../examples/generic-export-events.yaml"), pipeline);
    var spec = new PipelineLoader().load(pipeline).spec();
    try (SandboxServer sandbox = SandboxServer.start(config);
        TestWorkflowEnvironment testEnv = TestWorkflowEnvironment.newInstance()) {
      Map<String, String> env =
          Map.of("EXPORT_BASE_URL", sandbox.baseUrl(), "EXPORT_API_KEY", config.apiKey());
      Worker worker = testEnv.newWorker("lost-submit");
      worker.registerWorkflowImplementationTypes(AsyncIngestWorkflowImpl.class);
      ActivityLibrary.create(env::get, new SimpleMeterRegistry()).registerOn(worker);
      testEnv.start();
      sandbox.generic().loseAnswers("export-create", 1);

      AsyncIngestResult result =
          testEnv
              .getWorkflowClient()
              .newWorkflowStub(
                  AsyncIngestWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue("lost-submit")
                      .setWorkflowId("ingest/generic-events/2026-11-22")
                      .build())
              .run(AsyncIngestInput.of(spec, "2026-11-22"));

      // The knob did fire: an activity (the submit) needed a second attempt.
      assertThat(
              testEnv
                  .getWorkflowClient()
                  .fetchHistory("ingest/generic-events/2026-11-22")
                  .getEvents())
          .filteredOn(HistoryEvent::hasActivityTaskStartedEventAttributes)
          .extracting(e -> e.getActivityTaskStartedEventAttributes().getAttempt())
          .contains(2);
      GenericStats stats = sandbox.generic().stats();
      assertThat(stats.exports())
          .as("one export: the retry found the one whose answer was lost")
          .singleElement()
          .satisfies(export -> assertThat(export.id()).isEqualTo(result.requestId()));
      assertThat(result.rows()).isEqualTo(EVENTS);
    }
  }
}
