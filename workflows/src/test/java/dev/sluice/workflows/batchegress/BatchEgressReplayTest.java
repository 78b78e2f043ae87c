package dev.sluice.workflows.batchegress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.workflows.activities.PlatformMessages.PlatformError;
import dev.sluice.workflows.common.WorkflowIds;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records histories of {@link BatchEgressWorkflowImpl} for {@code RecordedHistoriesReplayTest}, which
 * replays them. Record histories of new paths (existing files are kept) with {@code mvn -pl
 * workflows test -Dtest=BatchEgressReplayTest -Dsluice.recordHistories=true}.
 */
class BatchEgressReplayTest {
  private static final Path HISTORIES = Paths.get("src/test/resources/histories");

  @Test
  @EnabledIfSystemProperty(named = "sluice.recordHistories", matches = "true")
  void recordHistories() throws Exception {
    record("batchegress-success.json", fake -> fake.successAfterPolls = 4, Outcome.SUCCEEDS);
    record(
        "batchegress-platform-failed.json",
        fake ->
            fake.failWith =
                List.of(new PlatformError("200", BatchEgressWorkflowTest.GUIDE_FAILURE)),
        Outcome.FAILS);
    record(
        "batchegress-timeout-aborted.json",
        fake -> fake.successAfterPolls = Integer.MAX_VALUE,
        Outcome.FAILS);
    record(
        "batchegress-retried-upload.json",
        fake -> fake.transientUploadFailures.set(2),
        Outcome.SUCCEEDS);
    record(
        "batchegress-cancelled-aborted.json",
        fake -> fake.successAfterPolls = Integer.MAX_VALUE,
        Outcome.CANCELLED);
  }

  private enum Outcome {
    SUCCEEDS,
    FAILS,
    CANCELLED
  }

  /** Records a history once; existing recordings are kept, since they stand for older code. */
  private void record(String name, Consumer<FakePlatform> script, Outcome outcome)
      throws Exception {
    if (Files.exists(HISTORIES.resolve(name))) {
      return;
    }
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker("replay");
      worker.registerWorkflowImplementationTypes(BatchEgressWorkflowImpl.class);
      FakePlatform fake = new FakePlatform(env);
      script.accept(fake);
      worker.registerActivitiesImplementations(fake);
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      String id = WorkflowIds.egress("ingest/contacts/" + name);
      BatchEgressWorkflow wf =
          client.newWorkflowStub(
              BatchEgressWorkflow.class,
              WorkflowOptions.newBuilder().setTaskQueue("replay").setWorkflowId(id).build());
      var input =
          BatchEgressInput.of(
              Sinks.sink(2, Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofMinutes(10)),
              Sinks.files(3),
              "ingest/contacts/2026-11-22");
      WorkflowClient.start(wf::run, input);
      WorkflowStub stub = WorkflowStub.fromTyped(wf);
      if (outcome == Outcome.CANCELLED) {
        env.sleep(Duration.ofMinutes(1));
        stub.cancel();
      }
      boolean succeeded;
      try {
        stub.getResult(BatchEgressResult.class);
        succeeded = true;
      } catch (WorkflowFailedException e) {
        succeeded = false;
      }
      assertThat(succeeded).isEqualTo(outcome == Outcome.SUCCEEDS);
      Files.createDirectories(HISTORIES);
      Files.writeString(HISTORIES.resolve(name), client.fetchHistory(id).toJson(true));
    }
  }
}
