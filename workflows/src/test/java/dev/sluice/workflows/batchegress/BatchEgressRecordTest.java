package dev.sluice.workflows.batchegress;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The window's record of its sent batch: read before create (replay), written after success. */
class BatchEgressRecordTest {
  private static final String RECORD =
      "file:///tmp/table/_sluice/batches/ingest_contacts_2026-11-22T00-00-00Z.json";

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(BatchEgressWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private String queue;
  private FakePlatform fake;
  private WorkflowClient client;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    this.queue = worker.getTaskQueue();
    fake = new FakePlatform(env);
    worker.registerActivitiesImplementations(fake);
    env.start();
    client = env.getWorkflowClient();
  }

  private BatchEgressResult run() {
    return client
        .newWorkflowStub(
            BatchEgressWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId("egress/a").build())
        .run(
            BatchEgressInput.newBuilder(
                    Sinks.sink(), Sinks.files(2), "ingest/contacts/2026-11-22T00:00:00Z")
                .setRecordUri(RECORD)
                .build());
  }

  @Test
  void givenWindowSentBefore_whenSendingAgain_thenTheNewBatchReplacesTheRecordedOne() {
    fake.records.put(RECORD, List.of("01JEARLIER"));

    BatchEgressResult result = run();

    assertThat(fake.replacesSeen).containsExactly(List.of("01JEARLIER"));
    assertThat(result.replaced()).containsExactly("01JEARLIER");
    assertThat(fake.records).containsEntry(RECORD, List.of(FakePlatform.BATCH_ID));
    assertThat(result.recordWarning()).isNull();
  }

  @Test
  void givenWindowNeverSent_whenSending_thenANormalBatchIsCreatedAndRecorded() {
    BatchEgressResult result = run();

    assertThat(fake.replacesSeen).containsExactly(List.of());
    assertThat(result.replaced()).isEmpty();
    assertThat(fake.records).containsEntry(RECORD, List.of(FakePlatform.BATCH_ID));
  }

  @Test
  void givenRecordCannotBeWritten_whenTheBatchSucceeded_thenTheRunSucceedsWithAWarning() {
    fake.recordFailure = "Permission denied: /tmp/table/_sluice/batches";

    BatchEgressResult result = run();

    assertThat(result.status()).isEqualTo("success");
    assertThat(result.batchId()).isEqualTo(FakePlatform.BATCH_ID);
    assertThat(fake.recordAttempts.get()).as("retried before giving up").isGreaterThan(1);
    assertThat(result.recordWarning())
        .contains(FakePlatform.BATCH_ID)
        .contains(RECORD)
        .contains("Permission denied");
    assertThat(fake.aborts).as("an accepted batch is never aborted").hasValue(0);
  }
}
