package dev.sluice.workflows.asyncingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.IncrementalSpec;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.WindowMessages.WindowCommit;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import dev.sluice.workflows.histories.Histories;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each window owns the watermark range it read: a re-run reads exactly that range again and never
 * moves the table's watermark; a new window reads after the table's watermark and records what it
 * covered; two runs of one window never both publish. Time skipping, scripted activities.
 */
class AsyncIngestWindowRangesTest {
  private static final String LOGICAL_DATE = "2026-11-22T00:00:00Z";
  private static final String WORKFLOW_ID = "ingest/contacts/" + LOGICAL_DATE;
  private static final String FROM = "2026-11-20T10:00:00.000Z";
  private static final String TO = "2026-11-21T09:00:00.000Z";

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(AsyncIngestWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private String queue;
  private FakeProvider fake;
  private WorkflowClient client;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    this.queue = worker.getTaskQueue();
    fake = new FakeProvider(env);
    fake.readyAfterPolls = 1;
    worker.registerActivitiesImplementations(fake);
    env.start();
    client = env.getWorkflowClient();
  }

  private AsyncIngestWorkflow workflow() {
    return client.newWorkflowStub(
        AsyncIngestWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(WORKFLOW_ID).build());
  }

  private static PipelineSpec withOpenEnd() {
    PipelineSpec spec = Pipelines.salesforceLike();
    return PipelineSpec.newBuilder(spec.name(), spec.source(), spec.sink())
        .setDescription(spec.description())
        .setIncremental(
            new IncrementalSpec("SystemModstamp", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z"))
        .build();
  }

  @Test
  void givenCommittedWindow_whenRunAgain_thenItReadsExactlyItsRangeAndKeepsTheTableWatermark() {
    fake.previousWatermark = "2026-12-31T00:00:00.000Z";
    fake.committedWindow = FakeProvider.range(FROM, TO);

    AsyncIngestResult result = workflow().run(AsyncIngestInput.of(withOpenEnd(), LOGICAL_DATE));

    assertThat(fake.submitVars.get(0))
        .containsEntry("watermark", FROM)
        .containsEntry("watermarkEnd", TO);
    assertThat(fake.lastExtract.watermarkFrom()).isEqualTo(FROM);
    assertThat(fake.lastExtract.watermarkTo()).as("rows after the window are dropped").isEqualTo(TO);
    assertThat(fake.lastPublish.newWatermark()).as("never moved backwards").isNull();
    WindowCommit commit = fake.lastPublish.commit();
    assertThat(commit.from()).isEqualTo(FROM);
    assertThat(commit.to()).as("the window keeps the range it owns").isEqualTo(TO);
    assertThat(fake.lastPublish.rows()).isEqualTo(1234);
    assertThat(result.replaced()).as("the summary says what was replaced").isEqualTo(fake.committedWindow);
    assertThat(result.range().rows()).isEqualTo(1234);
    assertThat(result.watermark())
        .as("not the range's start: a re-run does not know the table's watermark")
        .isNull();
    Histories.keep(client, WORKFLOW_ID, "asyncingest-rerun.json");
  }

  @Test
  void givenNewWindow_whenRun_thenItReadsAfterTheTableWatermarkAndRecordsWhatItCovered() {
    fake.previousWatermark = TO;

    AsyncIngestResult result = workflow().run(AsyncIngestInput.of(withOpenEnd(), LOGICAL_DATE));

    assertThat(fake.opens).hasSize(1);
    assertThat(fake.opens.get(0).watermarkColumn()).isEqualTo("SystemModstamp");
    assertThat(fake.submitVars.get(0))
        .containsEntry("watermark", TO)
        .as("a new window has no upper bound of its own")
        .containsEntry("watermarkEnd", "9999-12-31T23:59:59Z");
    assertThat(fake.lastExtract.watermarkFrom()).isEqualTo(TO);
    assertThat(fake.lastExtract.watermarkTo()).isNull();
    assertThat(fake.lastPublish.newWatermark()).isEqualTo("2026-01-02T00:00:00.000Z");
    assertThat(fake.lastPublish.commit().from()).isEqualTo(TO);
    assertThat(fake.lastPublish.commit().to()).isEqualTo("2026-01-02T00:00:00.000Z");
    assertThat(result.replaced()).isNull();
  }

  @Test
  void givenNewWindowWithNoRows_whenPublished_thenItsRangeIsEmptyAndTheWatermarkStays() {
    fake.previousWatermark = TO;
    fake.extractMaxWatermark = null;

    workflow().run(AsyncIngestInput.of(Pipelines.salesforceLike(), LOGICAL_DATE));

    assertThat(fake.lastPublish.newWatermark()).isNull();
    assertThat(fake.lastPublish.commit().from()).isEqualTo(TO);
    assertThat(fake.lastPublish.commit().to()).isEqualTo(TO);
    assertThat(fake.submitVars.get(0)).doesNotContainKey("watermarkEnd");
  }

  @Test
  void givenAnotherNewWindowHoldsTheHead_whenOpening_thenTheRunWaitsOnATimerAndThenReadsAfterIt() {
    fake.headBusyAsks.set(2);
    fake.previousWatermark = TO;

    workflow().run(AsyncIngestInput.of(Pipelines.salesforceLike(), LOGICAL_DATE));

    assertThat(fake.opens).hasSize(3);
    assertThat(fake.submits).hasValue(1);
    assertThat(fake.publishes).hasValue(1);
    Histories.keep(client, WORKFLOW_ID, "asyncingest-head-busy.json");
  }

  @Test
  void givenTheWindowIsHeldByAnotherRun_whenOpening_thenTheRunFailsNamingItAndTouchesNothing() {
    fake.openFailure =
        ApplicationFailure.newNonRetryableFailure(
            "window 2026-11-22T00:00:00Z is already being run by workflow ingest/contacts-x",
            FailureType.WINDOW_BUSY.type());

    assertThatThrownBy(() -> workflow().run(AsyncIngestInput.of(Pipelines.salesforceLike(), LOGICAL_DATE)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .hasMessageContaining("already being run by workflow ingest/contacts-x");
    assertThat(fake.submits).hasValue(0);
    assertThat(fake.discards).as("the staging belongs to the running one").hasValue(0);
    assertThat(fake.releases).isEmpty();
    Histories.keep(client, WORKFLOW_ID, "asyncingest-window-busy.json");
  }

  @Test
  void givenAFailureAfterTheWindowWasClaimed_whenCleaningUp_thenTheWindowIsReleased() {
    fake.malformedExtract = true;

    assertThatThrownBy(() -> workflow().run(AsyncIngestInput.of(Pipelines.salesforceLike(), LOGICAL_DATE)))
        .isInstanceOf(WorkflowFailedException.class);
    assertThat(fake.discards).hasValue(1);
    assertThat(fake.releases).hasSize(1);
    assertThat(fake.releases.get(0).holder().workflowId()).isEqualTo(WORKFLOW_ID);
  }

  @Test
  void givenAPipelineWithoutWatermark_whenRunAgain_thenNoRangeIsRecordedButTheWindowIsStillHeld() {
    PipelineSpec spec = Pipelines.salesforceLike();
    PipelineSpec full =
        PipelineSpec.newBuilder(spec.name(), spec.source(), spec.sink())
            .setDescription(spec.description())
            .build();
    fake.committedWindow =
        new WindowRange(LOGICAL_DATE, null, null, null, 5, 1, WORKFLOW_ID, "run-0", "x");

    AsyncIngestResult result = workflow().run(AsyncIngestInput.of(full, LOGICAL_DATE));

    assertThat(fake.opens.get(0).watermarkColumn()).isNull();
    assertThat(fake.submitVars.get(0)).doesNotContainKeys("watermark", "watermarkEnd");
    assertThat(fake.lastExtract.watermarkFrom()).isNull();
    assertThat(fake.lastPublish.commit()).isNotNull();
    assertThat(result.replaced().rows()).isEqualTo(5);
  }
}
