package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflow;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflowImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider that never answers: the real activities retry for the short-call budget (15 minutes,
 * skipped here), then the run fails saying which endpoint was unreachable, with nothing published.
 */
class UnreachableProviderTest {
  @TempDir Path work;

  @Test
  void givenProviderUnreachable_whenRetriesRunOut_thenRunFailsNamingTheEndpoint() throws Exception {
    Path pipeline = AsyncIngestEndToEndTest.examplePipeline(work, 1000);
    var spec = new PipelineLoader().load(pipeline).spec();
    Map<String, String> env =
        Map.of(
            "SF_LOGIN_URL", "http://127.0.0.1:1",
            "SF_INSTANCE_URL", "http://127.0.0.1:1",
            "SF_CLIENT_ID", "id",
            "SF_CLIENT_SECRET", "secret");
    try (TestWorkflowEnvironment testEnv = TestWorkflowEnvironment.newInstance()) {
      Worker worker = testEnv.newWorker("unreachable");
      worker.registerWorkflowImplementationTypes(AsyncIngestWorkflowImpl.class);
      ActivityLibrary.create(env::get, new SimpleMeterRegistry()).registerOn(worker);
      testEnv.start();
      AsyncIngestWorkflow workflow =
          testEnv
              .getWorkflowClient()
              .newWorkflowStub(
                  AsyncIngestWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue("unreachable")
                      .setWorkflowId("w")
                      .build());

      WorkflowFailedException failed =
          catchThrowableOfType(
              WorkflowFailedException.class,
              () -> workflow.run(AsyncIngestInput.of(spec, "2026-11-22")));

      assertThat(failed).isNotNull();
      // Workflow failure <- the submit's ActivityFailure (retries exhausted) <- its last attempt.
      assertThat(failed.getCause().getCause())
          .isInstanceOf(ApplicationFailure.class)
          .hasMessageContaining(
              "token endpoint http://127.0.0.1:1/services/oauth2/token unreachable");
      assertThat(work.resolve("out/salesforce-contacts"))
          .satisfiesAnyOf(
              table -> assertThat(Files.exists(table)).isFalse(),
              table ->
                  assertThat(Files.list(table).noneMatch(f -> f.toString().endsWith(".parquet")))
                      .isTrue());
    }
  }
}
