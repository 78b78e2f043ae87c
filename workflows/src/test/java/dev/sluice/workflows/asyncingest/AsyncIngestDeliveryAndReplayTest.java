package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.histories.Histories;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.PlatformMessages.PlatformError;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.batchegress.BatchEgressWorkflowImpl;
import dev.sluice.workflows.fakes.FakeSinkPlatform;
import dev.sluice.workflows.fakes.Journal;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an async ingest run does between extract and publish (deferral, a platform sink sent through
 * the egress child), and a replay of its window; time skipping and scripted activities.
 */
class AsyncIngestDeliveryAndReplayTest {
  private static final String QUEUE = "test";
  private static final String LOGICAL_DATE = "2026-11-22T00:00:00Z";
  private static final String WORKFLOW_ID = "ingest/contacts/" + LOGICAL_DATE;
  private static final String STAGING =
      "file:///tmp/table/_sluice/staging/ingest_contacts_2026-11-22T00-00-00Z";

  /** The platform's own words, which must reach the user unchanged. */
  private static final String PLATFORM_ERROR =
      "file.parquet is not a Parquet file. expected magic number at tail [80, 65, 82, 49] but"
          + " found [57, 98, 55, 10]";

  private TestWorkflowEnvironment env;
  private FakeProvider fake;
  private FakeSinkPlatform platform;
  private WorkflowClient client;
  private final Journal journal = new Journal();

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(
        AsyncIngestWorkflowImpl.class, BatchEgressWorkflowImpl.class);
    fake = new FakeProvider(env);
    platform = new FakeSinkPlatform(journal);
    worker.registerActivitiesImplementations(fake, platform);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    platform.releaseStatus.countDown();
    env.close();
  }

  private AsyncIngestWorkflow workflow() {
    return client.newWorkflowStub(
        AsyncIngestWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(WORKFLOW_ID).build());
  }

  /** The run's commands and child outcomes, in history order. */
  private List<String> steps() {
    List<String> steps = new ArrayList<>();
    for (HistoryEvent e : client.fetchHistory(WORKFLOW_ID).getEvents()) {
      switch (e.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED ->
            steps.add(
                "activity "
                    + e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
        case EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED ->
            steps.add(
                "start "
                    + e.getStartChildWorkflowExecutionInitiatedEventAttributes()
                        .getWorkflowType()
                        .getName());
        case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED -> steps.add("child completed");
        case EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED -> steps.add("child failed");
        default -> {}
      }
    }
    return steps;
  }

  // --- platform-batch sink ----------------------------------------------------------------------

  @Test
  void givenPlatformSink_whenRunning_thenSendsTheStagedFilesAfterExtractAndPublishesAfterSuccess() {
    AsyncIngestResult result =
        workflow().run(AsyncIngestInput.of(Pipelines.sendingToPlatform(), LOGICAL_DATE));

    assertThat(platform.uploadedUris).containsExactly(STAGING + "/part-a-00000.parquet");
    assertThat(steps())
        .containsSubsequence(
            "activity Extract", "start BatchEgressWorkflow", "child completed", "activity Publish");
    assertThat(result.egress().batchId()).isEqualTo(FakeSinkPlatform.BATCH_ID);
    assertThat(fake.publishes).hasValue(1);
    assertThat(fake.lastPublish.files()).containsExactly("part-a-00000.parquet");
    assertThat(platform.records)
        .as("the window's batch is recorded, so a replay supersedes it")
        .containsKey(
            RunKeys.sentBatch(
                Pipelines.sendingToPlatform().sink().lakeTable(), RunKeys.of(WORKFLOW_ID)));
    Histories.keep(client, WORKFLOW_ID, "asyncingest-sent.json");
  }

  @Test
  void givenPlatformRejectsTheBatch_whenRunning_thenFailsVerbatimCleansUpAndPublishesNothing() {
    platform.failWith = List.of(new PlatformError("200", PLATFORM_ERROR));

    assertThatThrownBy(
            () -> workflow().run(AsyncIngestInput.of(Pipelines.sendingToPlatform(), LOGICAL_DATE)))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              assertThat(e.getCause()).isInstanceOf(ApplicationFailure.class);
              ApplicationFailure failure = (ApplicationFailure) e.getCause();
              assertThat(failure.getType()).isEqualTo(FailureType.PLATFORM_BATCH_FAILED.type());
              assertThat(failure.getOriginalMessage())
                  .contains(FakeSinkPlatform.BATCH_ID)
                  .contains("[200] " + PLATFORM_ERROR);
            });
    assertThat(fake.publishes).hasValue(0);
    assertThat(fake.discards).as("staging discarded").hasValue(1);
    assertThat(fake.deletes).as("the finished provider job is deleted").hasValue(1);
    assertThat(fake.aborts).hasValue(0);
    Histories.keep(client, WORKFLOW_ID, "asyncingest-platform-rejected.json");
  }

  @Test
  void givenBatchBeingProcessed_whenCancelled_thenBatchAbortedStagingDiscardedNothingPublished()
      throws Exception {
    fake.readyAfterPolls = 1;
    platform.holdStatus = true;
    AsyncIngestWorkflow wf = workflow();
    WorkflowClient.start(wf::run, AsyncIngestInput.of(Pipelines.sendingToPlatform(), LOGICAL_DATE));
    env.sleep(Duration.ofSeconds(11)); // the child's first status check is 10s after complete
    // The status check runs on an activity thread: wait (bounded) until it is held, then cancel.
    journal.await("status check held", Duration.ofSeconds(10));
    assertThat(wf.progress().stage()).isEqualTo(Progress.Stage.SENDING);

    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    stub.cancel();

    assertThatThrownBy(() -> stub.getResult(AsyncIngestResult.class))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> assertThat(e.getCause()).isInstanceOf(CanceledFailure.class));
    assertThat(platform.aborts).as("the child aborts its batch").hasValue(1);
    assertThat(fake.discards).hasValue(1);
    assertThat(fake.deletes).as("the finished provider job is deleted").hasValue(1);
    assertThat(fake.publishes).hasValue(0);
    Histories.keep(client, WORKFLOW_ID, "asyncingest-cancelled-sending.json");
  }

  // --- deferral ---------------------------------------------------------------------------------

  @Test
  void givenDeferralRule_whenRunning_thenPublishesWhatDeferralReturnsAndCountsItsRows() {
    DeferralResult split =
        new DeferralResult(
            RunKeys.deferralStaging(STAGING),
            List.of("complete-00000.parquet", "released-00000.parquet"),
            1200,
            50_000,
            34,
            5,
            2,
            1);
    fake.deferralAnswer = split;

    AsyncIngestResult result =
        workflow().run(AsyncIngestInput.of(Pipelines.deferring(), LOGICAL_DATE));

    assertThat(fake.lastDeferral.stagingUri()).isEqualTo(STAGING);
    assertThat(fake.lastDeferral.files()).containsExactly("part-a-00000.parquet");
    assertThat(fake.lastDeferral.defer()).isEqualTo(Pipelines.DEFER);
    assertThat(fake.lastPublish.stagingUri()).isEqualTo(split.stagingUri());
    assertThat(fake.lastPublish.files()).isEqualTo(split.files());
    assertThat(fake.lastPublish.defer()).isEqualTo(Pipelines.DEFER);
    assertThat(result.deferral()).isEqualTo(split);
    assertThat(result.rows()).as("the rows that landed, not the rows extracted").isEqualTo(1200);
    Histories.keep(client, WORKFLOW_ID, "asyncingest-deferred.json");
  }

  @Test
  void givenDeferralAndPlatformSink_whenRunning_thenTheBatchCarriesOnlyWhatDeferralReleased() {
    fake.deferralAnswer =
        new DeferralResult(
            RunKeys.deferralStaging(STAGING),
            List.of("complete-00000.parquet"),
            9,
            900,
            1,
            0,
            0,
            0);

    workflow()
        .run(
            AsyncIngestInput.of(
                Pipelines.sendingToPlatform().withDefer(Pipelines.DEFER), LOGICAL_DATE));

    assertThat(platform.uploadedUris)
        .containsExactly(RunKeys.deferralStaging(STAGING) + "/complete-00000.parquet");
  }

  // --- window and replay ------------------------------------------------------------------------

  @Test
  void givenWindow_whenSubmitting_thenTemplatesSeeItsStartAndEnd() {
    workflow().run(AsyncIngestInput.of(Pipelines.salesforceLike(), LOGICAL_DATE));

    assertThat(fake.submitVars.get(0))
        .as("the default window is one day")
        .containsEntry("windowStart", "2026-11-21T00:00:00Z")
        .containsEntry("windowEnd", LOGICAL_DATE);
  }

  @Test
  void givenReplayOfACommittedWindow_whenSubmitting_thenItReadsTheRecordedRangeAndKeepsTheWatermark() {
    fake.previousWatermark = "2026-12-31T00:00:00.000Z";
    fake.committedWindow = FakeProvider.range("2026-11-20T10:00:00.000Z", "2026-11-21T09:00:00.000Z");

    workflow().run(AsyncIngestInput.of(Pipelines.salesforceLike(), LOGICAL_DATE).asReplay());

    assertThat(fake.submitVars.get(0))
        .containsEntry("watermark", "2026-11-20T10:00:00.000Z")
        .containsEntry("watermarkEnd", "2026-11-21T09:00:00.000Z");
    assertThat(fake.publishes).hasValue(1);
    assertThat(fake.lastPublish.newWatermark()).as("null keeps the stored watermark").isNull();
  }
}
