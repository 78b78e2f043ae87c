package dev.sluice.workflows.asyncingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records histories of {@link AsyncIngestWorkflowImpl} for {@code RecordedHistoriesReplayTest}, which
 * replays them. Record histories of new paths (existing files are kept) with {@code mvn -pl
 * workflows test -Dtest=AsyncIngestReplayTest -Dsluice.recordHistories=true}.
 */
class AsyncIngestReplayTest {
  private static final Path HISTORIES = Paths.get("src/test/resources/histories");

  @Test
  @EnabledIfSystemProperty(named = "sluice.recordHistories", matches = "true")
  void recordHistories() throws Exception {
    record("asyncingest-success.json", fake -> fake.readyAfterPolls = 4, true);
    record(
        "asyncingest-provider-failed.json", fake -> fake.failWithMessage = "quota exceeded", false);
    record(
        "asyncingest-timeout-aborted.json",
        fake -> fake.readyAfterPolls = Integer.MAX_VALUE,
        false);
    record("asyncingest-retried-extract.json", fake -> fake.transientExtractFailures.set(2), true);
    record("asyncingest-malformed-deleted.json", fake -> fake.malformedExtract = true, false);
  }

  /** Records a history once; existing recordings are kept, since they stand for older code. */
  private void record(String name, Consumer<FakeProvider> script, boolean succeeds)
      throws Exception {
    if (Files.exists(HISTORIES.resolve(name))) {
      return;
    }
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker("replay");
      worker.registerWorkflowImplementationTypes(AsyncIngestWorkflowImpl.class);
      FakeProvider fake = new FakeProvider(env);
      script.accept(fake);
      worker.registerActivitiesImplementations(fake);
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      String id = "ingest/contacts/" + name;
      AsyncIngestWorkflow wf =
          client.newWorkflowStub(
              AsyncIngestWorkflow.class,
              WorkflowOptions.newBuilder().setTaskQueue("replay").setWorkflowId(id).build());
      var spec =
          Pipelines.salesforceLike(
              java.time.Duration.ofSeconds(5),
              1.5,
              java.time.Duration.ofSeconds(20),
              java.time.Duration.ofMinutes(2));
      WorkflowClient.start(wf::run, AsyncIngestInput.of(spec, "2026-11-22"));
      boolean succeeded;
      try {
        WorkflowStub.fromTyped(wf).getResult(AsyncIngestResult.class);
        succeeded = true;
      } catch (io.temporal.client.WorkflowFailedException e) {
        succeeded = false;
      }
      assertThat(succeeded).isEqualTo(succeeds);
      Files.createDirectories(HISTORIES);
      Files.writeString(HISTORIES.resolve(name), client.fetchHistory(id).toJson(true));
    }
  }
}
