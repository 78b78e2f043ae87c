package dev.sluice.workflows.platformingest;

import dev.sluice.workflows.histories.Histories;
import static dev.sluice.workflows.platformingest.FakePlatformSource.fileOf;
import static dev.sluice.workflows.platformingest.PlatformPipelines.LOGICAL_DATE;
import static dev.sluice.workflows.platformingest.PlatformPipelines.STAGING;
import static dev.sluice.workflows.platformingest.PlatformPipelines.TABLE;
import static dev.sluice.workflows.platformingest.PlatformPipelines.WINDOW_END;
import static dev.sluice.workflows.platformingest.PlatformPipelines.WINDOW_START;
import static dev.sluice.workflows.platformingest.PlatformPipelines.WORKFLOW_ID;
import static dev.sluice.workflows.platformingest.PlatformPipelines.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.PlatformMessages.PlatformError;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesRequest;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.batchegress.BatchEgressWorkflow;
import dev.sluice.workflows.batchegress.BatchEgressWorkflowImpl;
import dev.sluice.workflows.fakes.FakeSinkPlatform;
import dev.sluice.workflows.fakes.Journal;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import dev.sluice.workflows.fakes.Gate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Platform-source runs with time skipping, a scripted dataset and table, and a scripted sink. */
class PlatformIngestWorkflowTest {
  private static final String QUEUE = "test";

  /** The guide's sample batch failure, as the platform reports it. */
  private static final String GUIDE_FAILURE =
      "Error in validating schema for file:"
          + " 'adl://dataLake.azuredatalakestore.net/connectors-dev/stage/BATCHID/dataSetId/contact.csv'"
          + " with"
          + " errorMessage=adl://dataLake.azuredatalakestore.net/connectors-dev/stage/BATCHID/dataSetId/contact.csv"
          + " is not a Parquet file. expected magic number at tail [80, 65, 82, 49] but found [57,"
          + " 98, 55, 10] and errorType=java.lang.RuntimeException";

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private final Journal journal = new Journal();
  private FakePlatformSource source;
  private FakeSinkPlatform sink;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    // Heartbeats reach the server at once, so a read learns of a cancellation in milliseconds.
    Worker worker =
        env.newWorker(
            QUEUE,
            WorkerOptions.newBuilder()
                .setMaxHeartbeatThrottleInterval(Duration.ofMillis(50))
                .setDefaultHeartbeatThrottleInterval(Duration.ofMillis(50))
                .build());
    worker.registerWorkflowImplementationTypes(
        PlatformIngestWorkflowImpl.class, BatchEgressWorkflowImpl.class);
    source = new FakePlatformSource(env, journal);
    sink = new FakeSinkPlatform(journal);
    worker.registerActivitiesImplementations(source, sink);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    sink.releaseStatus.countDown();
    source.unblocked.countDown();
    source.reads.open();
    source.readGateOf.values().forEach(Gate::open);
    env.close();
  }

  /** Waits (bounded) until an activity wrote {@code entry}. */
  private void awaitJournal(String entry) throws InterruptedException {
    journal.await(entry, Duration.ofSeconds(10));
  }

  private PlatformIngestWorkflow workflow() {
    return client.newWorkflowStub(
        PlatformIngestWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(WORKFLOW_ID).build());
  }

  private PlatformIngestResult run(PipelineSpec spec) {
    return workflow().run(PlatformIngestInput.of(spec, LOGICAL_DATE));
  }

  /**
   * Runs {@code spec} with the reads held at the gate, letting them go one at a time: at each step
   * {@code bound} reads (fewer at the end) are running and the workflow has scheduled no more.
   */
  private PlatformIngestResult readStepByStep(PipelineSpec spec, int batches, int bound)
      throws InterruptedException {
    PlatformIngestWorkflow wf = workflow();
    WorkflowClient.start(wf::run, PlatformIngestInput.of(spec, LOGICAL_DATE));
    for (int left = batches; left > 0; left--) {
      source.reads.awaitWaiting(Math.min(bound, left));
      assertThat(Gate.pendingActivities(client, wf))
          .as("reads scheduled and not finished")
          .hasSizeLessThanOrEqualTo(bound);
      source.reads.release(1);
    }
    return WorkflowStub.fromTyped(wf).getResult(PlatformIngestResult.class);
  }

  private List<String> reads() {
    return source.extractRequests.stream().map(ExtractBatchRequest::batchId).toList();
  }

  private PublishRequest onlyPublish() {
    assertThat(source.publishes).hasSize(1);
    return source.publishes.get(0);
  }

  private static ApplicationFailure failureOf(WorkflowFailedException e) {
    assertThat(e.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) e.getCause();
  }

  private static String cursor(long created, String batchId) {
    return created + "/" + batchId;
  }

  // --- incremental reads --------------------------------------------------------------------

  @Test
  void givenStoredWatermark_whenRunning_thenReadsOnlyLaterBatchesOfTheWindowAndStoresTheLast() {
    source.add("a-before", at(1), Outcome.READY);
    source.add("b-mark", at(2), Outcome.READY);
    source.add("c-same-instant", at(2), Outcome.READY);
    source.add("d-later", at(5), Outcome.READY);
    source.add("e-at-window-end", WINDOW_END, Outcome.READY);
    source.storedWatermark = cursor(at(2), "b-mark");

    PlatformIngestResult result = run(PlatformPipelines.pipeline(PlatformPipelines.ordered()));

    ListBatchesRequest listed = source.listRequests.get(0);
    assertThat(listed.createdAfter()).isEqualTo(at(2));
    assertThat(listed.afterBatchId()).isEqualTo("b-mark");
    assertThat(listed.createdBefore())
        .as("the window ends at the logical date")
        .isEqualTo(WINDOW_END);
    assertThat(reads()).containsExactly("c-same-instant", "d-later");
    PublishRequest publish = onlyPublish();
    assertThat(publish.files()).containsExactly(fileOf("c-same-instant"), fileOf("d-later"));
    assertThat(publish.stagingUri()).isEqualTo(STAGING);
    assertThat(publish.newWatermark()).isEqualTo(cursor(at(5), "d-later"));
    assertThat(publish.watermarkColumn()).isEqualTo(PlatformIngestWorkflowImpl.WATERMARK_LABEL);
    assertThat(result.watermark()).isEqualTo(cursor(at(5), "d-later"));
    assertThat(result.rows()).isEqualTo(2 * FakePlatformSource.ROWS_PER_BATCH);
    assertThat(result.batches())
        .extracting(PlatformIngestResult.ReadBatch::batchId)
        .containsExactly("c-same-instant", "d-later");
    assertThat(result.more()).isFalse();
  }

  @Test
  void givenNoWatermark_whenRunning_thenStartsAtTheWindowStart() {
    source.add("a-yesterday", WINDOW_START - 1, Outcome.READY);
    source.add("b-first", WINDOW_START, Outcome.READY);
    source.add("c", at(3), Outcome.READY);

    PlatformIngestResult result = run(PlatformPipelines.pipeline(PlatformPipelines.ordered()));

    ListBatchesRequest listed = source.listRequests.get(0);
    assertThat(listed.createdAfter()).as("logical date less one day").isEqualTo(WINDOW_START);
    assertThat(listed.afterBatchId()).isNull();
    assertThat(reads()).containsExactly("b-first", "c");
    assertThat(onlyPublish().newWatermark()).isEqualTo(cursor(at(3), "c"));
    assertThat(result.watermark()).isEqualTo(cursor(at(3), "c"));
  }

  @Test
  void givenBatchStillProcessing_whenListing_thenStopsBeforeItAndSaysThereIsMore() {
    source.add("b1", at(1), Outcome.READY);
    source.add("b2", at(2), Outcome.PENDING);
    source.add("b3", at(3), Outcome.READY);

    PlatformIngestResult result = run(PlatformPipelines.pipeline(PlatformPipelines.ordered()));

    assertThat(reads()).as("nothing at or after the pending batch").containsExactly("b1");
    assertThat(onlyPublish().files()).containsExactly(fileOf("b1"));
    assertThat(onlyPublish().newWatermark())
        .as("the next run lists from before the pending batch")
        .isEqualTo(cursor(at(1), "b1"));
    assertThat(result.more()).isTrue();
  }

  @Test
  void givenFailedSourceBatches_whenRunning_thenSkipsAndReportsThemAndTheWatermarkPassesThem() {
    source.add("b1", at(1), Outcome.READY);
    source.add("b2", at(2), Outcome.FAILED);
    source.add("b3", at(3), Outcome.READY);
    source.add("b4", at(4), Outcome.FAILED);

    PlatformIngestResult result = run(PlatformPipelines.pipeline(PlatformPipelines.ordered()));

    assertThat(reads()).containsExactly("b1", "b3");
    assertThat(result.skipped()).containsExactly("b2", "b4");
    assertThat(onlyPublish().files()).containsExactly(fileOf("b1"), fileOf("b3"));
    assertThat(onlyPublish().newWatermark()).isEqualTo(cursor(at(4), "b4"));
  }

  // --- ordered and parallel processing --------------------------------------------------------

  @Test
  void givenOrderedProcessing_whenReading_thenOneBatchAtATimeInCreatedOrder() throws Exception {
    source.reads.hold();
    source.add("b3", at(3), Outcome.READY);
    source.add("b2-second", at(2), Outcome.READY);
    source.add("b1", at(1), Outcome.READY);
    source.add("b2-first", at(2), Outcome.READY);

    readStepByStep(PlatformPipelines.pipeline(PlatformPipelines.ordered()), 4, 1);

    assertThat(reads()).containsExactly("b1", "b2-first", "b2-second", "b3");
    assertThat(source.maxConcurrentReads).hasValue(1);
    assertThat(onlyPublish().files())
        .containsExactly(fileOf("b1"), fileOf("b2-first"), fileOf("b2-second"), fileOf("b3"));
  }

  @Test
  void givenOrderedProcessing_whenABatchCannotBeRead_thenLaterOnesAreNotReadAndEarlierOnesLand() {
    source.add("b1", at(1), Outcome.READY);
    source.add("b2", at(2), Outcome.READY);
    source.add("b3", at(3), Outcome.READY);
    source.add("b4", at(4), Outcome.READY);
    source.unreadable.add("b3");

    assertThatThrownBy(() -> run(PlatformPipelines.pipeline(PlatformPipelines.ordered())))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = failureOf(e);
              assertThat(failure.getType()).isEqualTo(FailureType.SOURCE_BATCH_FAILED.type());
              assertThat(failure.getOriginalMessage())
                  .contains("source batch b3")
                  .contains("not a Parquet file")
                  .contains("the watermark stands at " + cursor(at(2), "b2"));
            });
    assertThat(reads()).containsExactly("b1", "b2", "b3");
    assertThat(onlyPublish().files()).containsExactly(fileOf("b1"), fileOf("b2"));
    assertThat(onlyPublish().newWatermark()).isEqualTo(cursor(at(2), "b2"));
    Histories.keep(client, PlatformPipelines.WORKFLOW_ID, "platformingest-source-batch-failed.json");
  }

  @Test
  void givenParallelProcessing_whenReading_thenUpToMaxParallelAtOnceNeverMoreAndAllLand()
      throws Exception {
    source.reads.hold();
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      source.add("b" + i, at(i), Outcome.READY);
      ids.add("b" + i);
    }

    PlatformIngestResult result =
        readStepByStep(PlatformPipelines.pipeline(PlatformPipelines.parallel(3)), 8, 3);

    assertThat(source.maxConcurrentReads).as("parallel, within the bound").hasValue(3);
    assertThat(reads()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(onlyPublish().files())
        .as("in created order")
        .containsExactlyElementsOf(ids.stream().map(FakePlatformSource::fileOf).toList());
    assertThat(result.watermark()).isEqualTo(cursor(at(8), "b8"));
  }

  @Test
  void givenParallelProcessing_whenABatchInTheMiddleFails_thenOnlyTheBatchesBeforeItLand()
      throws Exception {
    for (int i = 1; i <= 6; i++) {
      source.add("b" + i, at(i), Outcome.READY);
    }
    Gate b2 = new Gate();
    b2.hold();
    source.readGateOf.put("b2", b2);
    source.unreadable.add("b2");
    PlatformIngestWorkflow wf = workflow();
    WorkflowClient.start(
        wf::run,
        PlatformIngestInput.of(
            PlatformPipelines.pipeline(PlatformPipelines.parallel(3)), LOGICAL_DATE));
    // b2 fails last, after b3 and later batches were read.
    b2.awaitWaiting(1);
    source.readsDone.await("b6", Duration.ofSeconds(10));
    b2.release(1);

    assertThatThrownBy(() -> WorkflowStub.fromTyped(wf).getResult(PlatformIngestResult.class))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = failureOf(e);
              assertThat(failure.getType()).isEqualTo(FailureType.SOURCE_BATCH_FAILED.type());
              assertThat(failure.getOriginalMessage()).contains("source batch b2");
            });
    assertThat(reads()).as("read, but after the gap").contains("b3");
    assertThat(onlyPublish().files()).containsExactly(fileOf("b1"));
    assertThat(onlyPublish().newWatermark()).isEqualTo(cursor(at(1), "b1"));
  }

  // --- snapshot ---------------------------------------------------------------------------------

  @Test
  void givenSnapshot_whenRunning_thenReadsOnlyTheLatestSuccessfulBatchAndReplacesTheTable() {
    source.add("a-yesterday", WINDOW_START - 1, Outcome.READY);
    source.add("b1", at(1), Outcome.READY);
    source.add("b2", at(2), Outcome.READY);
    source.add("b3", at(3), Outcome.FAILED);
    source.storedWatermark = cursor(at(1), "b1");

    PlatformIngestResult result = run(PlatformPipelines.pipeline(PlatformPipelines.snapshot(2)));

    assertThat(source.listRequests).as("two pages of two").hasSize(2);
    assertThat(source.listRequests.get(1).afterBatchId()).isEqualTo("b2");
    assertThat(reads()).containsExactly("b2");
    PublishRequest publish = onlyPublish();
    assertThat(publish.sink().mode()).isEqualTo("snapshot");
    assertThat(publish.files()).containsExactly(fileOf("b2"));
    assertThat(publish.newWatermark()).as("a snapshot keeps no position").isNull();
    assertThat(source.watermarkReads).hasValue(0);
    assertThat(result.rows()).isEqualTo(FakePlatformSource.ROWS_PER_BATCH);
  }

  @Test
  void givenSnapshotWithNoBatchInTheWindow_whenRunning_thenPublishesNothingAndLeavesTheTable() {
    source.add("a-yesterday", WINDOW_START - 1, Outcome.READY);
    source.add("b1", at(1), Outcome.FAILED);

    PlatformIngestResult result = run(PlatformPipelines.pipeline(PlatformPipelines.snapshot(100)));

    assertThat(reads()).isEmpty();
    assertThat(source.publishes).as("an empty snapshot would empty the table").isEmpty();
    assertThat(source.discards).hasValue(0);
    assertThat(result.files()).isEmpty();
    Histories.keep(client, PlatformPipelines.WORKFLOW_ID, "platformingest-snapshot-empty.json");
  }

  // --- settling ---------------------------------------------------------------------------------

  @Test
  void givenLatestBatchStillProcessing_whenStarting_thenWaitsSettleIntervalsUntilItIsFinal() {
    source.add("b1", at(1), Outcome.READY);
    source.latestPendingChecks = 3;
    var settling =
        PlatformPipelines.source(
            PlatformBatchesSource.INCREMENTAL,
            PlatformBatchesSource.ORDERED,
            1,
            100,
            Duration.ofMinutes(30),
            Duration.ofSeconds(30));

    PlatformIngestResult result = run(PlatformPipelines.pipeline(settling));

    assertThat(result.settleChecks()).isEqualTo(4);
    List<Long> times = source.lastBatchCheckTimes;
    for (int i = 1; i < times.size(); i++) {
      assertThat(times.get(i) - times.get(i - 1)).as("gap %d", i).isBetween(30_000L, 31_000L);
    }
    assertThat(reads()).containsExactly("b1");
  }

  @Test
  void givenLatestBatchNeverFinal_whenSettleTimeoutPasses_thenFailsWithoutListingOrReading() {
    source.add("b1", at(1), Outcome.READY);
    source.latestPendingChecks = Integer.MAX_VALUE;
    var settling =
        PlatformPipelines.source(
            PlatformBatchesSource.INCREMENTAL,
            PlatformBatchesSource.ORDERED,
            1,
            100,
            Duration.ofMinutes(2),
            Duration.ofSeconds(30));

    assertThatThrownBy(() -> run(PlatformPipelines.pipeline(settling)))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = failureOf(e);
              assertThat(failure.getType()).isEqualTo(FailureType.SOURCE_NOT_SETTLED.type());
              assertThat(failure.getOriginalMessage())
                  .contains("b1")
                  .contains("source.settleTimeout (2m");
            });
    List<Long> times = source.lastBatchCheckTimes;
    assertThat(times).as("at 0s, 30s, 60s, 90s and at the deadline").hasSize(5);
    assertThat(times.get(times.size() - 1) - times.get(0))
        .as("the last check at the timeout, not an interval beyond")
        .isBetween(119_000L, 121_000L);
    assertThat(source.listRequests).isEmpty();
    assertThat(reads()).isEmpty();
    assertThat(source.publishes).isEmpty();
    Histories.keep(client, PlatformPipelines.WORKFLOW_ID, "platformingest-not-settled.json");
  }

  @Test
  void givenLatestBatchCheckAlwaysFailing_whenSettleTimeoutIs1m_thenFailsWithinItNamingTheError() {
    source.add("b1", at(1), Outcome.READY);
    source.lastBatchEndpointDown = true;
    var settling =
        PlatformPipelines.source(
            PlatformBatchesSource.INCREMENTAL,
            PlatformBatchesSource.ORDERED,
            1,
            100,
            Duration.ofMinutes(1),
            Duration.ofSeconds(30));

    assertThatThrownBy(() -> run(PlatformPipelines.pipeline(settling)))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = failureOf(e);
              assertThat(failure.getType()).isEqualTo(FailureType.SOURCE_NOT_SETTLED.type());
              assertThat(failure.getOriginalMessage())
                  .contains("could not be checked after source.settleTimeout (1m")
                  .contains("no answer before the deadline: HTTP 500 Internal Server Error");
            });
    List<Long> times = source.lastBatchCheckTimes;
    assertThat(times).as("retried until the deadline").hasSizeGreaterThan(3);
    assertThat(times.get(times.size() - 1) - times.get(0))
        .as("within the settle timeout (and the last check's minimum), never 15 minutes")
        .isLessThanOrEqualTo(
            Duration.ofMinutes(1)
                .plus(dev.sluice.workflows.common.ActivityProfiles.MIN_BOUNDED_CALL)
                .toMillis());
    assertThat(source.listRequests).isEmpty();
    assertThat(source.publishes).isEmpty();
    Histories.keep(client, PlatformPipelines.WORKFLOW_ID, "platformingest-settle-check-down.json");
  }

  // --- replay -----------------------------------------------------------------------------------

  @Test
  void givenACommittedWindow_whenRunAgain_thenItReadsExactlyItsBatchesAndLeavesTheWatermark() {
    source.add("b1", at(1), Outcome.READY);
    source.add("b2", at(2), Outcome.READY);
    source.add("b3", at(3), Outcome.READY); // read by the next window
    source.storedWatermark = cursor(at(3), "b3");
    String from = Long.toString(WINDOW_START);
    source.committedWindow =
        new dev.sluice.workflows.activities.WindowMessages.WindowRange(
            LOGICAL_DATE, "_sluice_source_batch", from, cursor(at(2), "b2"), 7, 2, "w", "r", "t");

    PlatformIngestResult result =
        workflow()
            .run(
                PlatformIngestInput.of(
                        PlatformPipelines.pipeline(PlatformPipelines.ordered()), LOGICAL_DATE)
                    .withReplay(true));

    assertThat(source.listRequests.get(0).createdAfter()).isEqualTo(WINDOW_START);
    assertThat(source.listRequests.get(0).afterBatchId()).isNull();
    assertThat(reads()).containsExactly("b1", "b2");
    assertThat(onlyPublish().newWatermark()).as("null keeps the stored watermark").isNull();
    assertThat(onlyPublish().commit().from()).isEqualTo(from);
    assertThat(onlyPublish().commit().to()).isEqualTo(cursor(at(2), "b2"));
    assertThat(result.replaced().rows()).isEqualTo(7);
    Histories.keep(client, PlatformPipelines.WORKFLOW_ID, "platformingest-rerun.json");
  }

  @Test
  void givenACommittedWindowLargerThanMaxBatchesPerRun_whenRunAgain_thenItReadsEveryBatchItOwns() {
    for (int i = 1; i <= 5; i++) {
      source.add("b" + i, at(i), Outcome.READY);
    }
    source.storedWatermark = cursor(at(5), "b5");
    // Committed when the limit was higher: all five batches belong to the window.
    String from = Long.toString(WINDOW_START);
    source.committedWindow =
        new dev.sluice.workflows.activities.WindowMessages.WindowRange(
            LOGICAL_DATE, "_sluice_source_batch", from, cursor(at(5), "b5"), 5, 5, "w", "r", "t");
    PlatformBatchesSource limited =
        new PlatformBatchesSource(
            PlatformPipelines.CONNECTION,
            "src-dataset",
            PlatformBatchesSource.INCREMENTAL,
            PlatformBatchesSource.ORDERED,
            4,
            2,
            100,
            null,
            null);

    PlatformIngestResult result =
        workflow().run(PlatformIngestInput.of(PlatformPipelines.pipeline(limited), LOGICAL_DATE));

    assertThat(reads()).containsExactly("b1", "b2", "b3", "b4", "b5");
    assertThat(source.listRequests).hasSize(3);
    assertThat(onlyPublish().commit().to()).isEqualTo(cursor(at(5), "b5"));
    assertThat(result.more()).isFalse();
  }

  @Test
  void givenANewWindowOlderThanTheWatermark_whenRun_thenItReadsItsBatchesNoWindowOwnsAndKeepsTheWatermark() {
    source.add("b1", at(1), Outcome.READY);
    source.add("b2", at(2), Outcome.READY);
    source.add("b3", at(26), Outcome.READY); // the next day's: a newer window read it
    source.storedWatermark = cursor(at(26), "b3");
    // The newer window ran first (a replay two at a time): its range starts at its own start.
    source.firstWindow =
        new dev.sluice.workflows.activities.WindowMessages.WindowRange(
            "next", "_sluice_source_batch", Long.toString(WINDOW_END), cursor(at(26), "b3"), 5, 1,
            "w", "r", "t");

    PlatformIngestResult result =
        run(PlatformPipelines.pipeline(PlatformPipelines.ordered()));

    assertThat(reads()).containsExactly("b1", "b2");
    assertThat(source.listRequests.get(0).createdAfter()).isEqualTo(WINDOW_START);
    assertThat(onlyPublish().newWatermark()).as("not moved back").isNull();
    assertThat(onlyPublish().commit().from()).isEqualTo(Long.toString(WINDOW_START));
    assertThat(onlyPublish().commit().to()).isEqualTo(cursor(at(2), "b2"));
    assertThat(result.watermark()).isNull();
  }

  @Test
  void givenANewWindowOlderThanTheWatermark_whenTheOwnedBatchesBeginInsideIt_thenItStopsThere() {
    source.add("b1", at(1), Outcome.READY);
    source.add("b2", at(2), Outcome.READY); // owned: the earliest window starts at hour 2
    source.add("b3", at(26), Outcome.READY);
    source.storedWatermark = cursor(at(26), "b3");
    source.firstWindow =
        new dev.sluice.workflows.activities.WindowMessages.WindowRange(
            "first", "_sluice_source_batch", Long.toString(at(2)), cursor(at(26), "b3"), 5, 2,
            "w", "r", "t");

    run(PlatformPipelines.pipeline(PlatformPipelines.ordered()));

    assertThat(reads()).containsExactly("b1");
    assertThat(source.listRequests.get(0).createdBefore()).isEqualTo(at(2));
    assertThat(onlyPublish().commit().to()).isEqualTo(cursor(at(1), "b1"));
  }

  @Test
  void givenANewWindowAfterTheWatermark_whenRun_thenItDoesNotAskWhereTheWindowsBegin() {
    source.add("b1", at(1), Outcome.READY);
    source.add("b2", at(2), Outcome.READY);
    source.storedWatermark = cursor(at(1), "b1");

    run(PlatformPipelines.pipeline(PlatformPipelines.ordered()));

    assertThat(journal).doesNotContain("first window");
    assertThat(reads()).containsExactly("b2");
  }

  @Test
  void givenANewWindow_whenRun_thenItReadsAfterTheStoredWatermarkAndRecordsItsRange() {
    source.add("b1", at(1), Outcome.READY);
    source.add("b2", at(2), Outcome.READY);
    source.storedWatermark = cursor(at(1), "b1");

    workflow()
        .run(
            PlatformIngestInput.of(
                PlatformPipelines.pipeline(PlatformPipelines.ordered()), LOGICAL_DATE));

    assertThat(reads()).containsExactly("b2");
    assertThat(onlyPublish().newWatermark()).isEqualTo(cursor(at(2), "b2"));
    assertThat(onlyPublish().commit().from()).isEqualTo(cursor(at(1), "b1"));
    assertThat(onlyPublish().commit().to()).isEqualTo(cursor(at(2), "b2"));
    Histories.keep(client, PlatformPipelines.WORKFLOW_ID, "platformingest-success.json");
  }

  // --- cancellation -----------------------------------------------------------------------------

  @Test
  void givenBatchBeingRead_whenCancelled_thenDiscardsStagingAndPublishesNothing() throws Exception {
    source.add("b1", at(1), Outcome.READY);
    source.add("b2", at(2), Outcome.READY);
    source.blocking.add("b2");
    PlatformIngestWorkflow wf = workflow();
    WorkflowClient.start(
        wf::run,
        PlatformIngestInput.of(
            PlatformPipelines.pipeline(PlatformPipelines.ordered()), LOGICAL_DATE));
    // Reads take real time: wait until b2's read runs, then cancel.
    awaitJournal("read b2");
    assertThat(wf.progress().stage()).isEqualTo(PlatformIngestProgress.Stage.READING);

    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    stub.cancel();

    assertThatThrownBy(() -> stub.getResult(PlatformIngestResult.class))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> assertThat(e.getCause()).isInstanceOf(CanceledFailure.class));
    assertThat(source.publishes).as("not even b1, read before the cancel").isEmpty();
    assertThat(source.discards).hasValue(1);
    assertThat(journal.indexOf("discard"))
        .as("staging is discarded once the read stopped writing into it")
        .isGreaterThan(journal.indexOf("read cancelled"));
    Histories.keep(client, PlatformPipelines.WORKFLOW_ID, "platformingest-cancelled-reading.json");
  }

  @Test
  void givenBatchBeingSent_whenCancelled_thenBatchAbortedStagingDiscardedNothingPublished()
      throws Exception {
    source.add("b1", at(1), Outcome.READY);
    sink.holdStatus = true;
    PlatformIngestWorkflow wf = workflow();
    WorkflowClient.start(
        wf::run,
        PlatformIngestInput.of(
            PlatformPipelines.sendingToPlatform(PlatformPipelines.ordered()), LOGICAL_DATE));
    env.sleep(Duration.ofSeconds(11)); // the child's first status check is 10s after complete
    awaitJournal("status check held");
    assertThat(wf.progress().stage()).isEqualTo(PlatformIngestProgress.Stage.SENDING);

    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    stub.cancel();

    assertThatThrownBy(() -> stub.getResult(PlatformIngestResult.class))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> assertThat(e.getCause()).isInstanceOf(CanceledFailure.class));
    assertThat(sink.aborts).as("the egress child aborts its batch").hasValue(1);
    assertThat(source.discards).hasValue(1);
    assertThat(source.publishes).isEmpty();
    Histories.keep(client, PlatformPipelines.WORKFLOW_ID, "platformingest-cancelled-sending.json");
  }

  // --- deferral ---------------------------------------------------------------------------------

  @Test
  void givenDeferralRule_whenRunning_thenPublishesWhatDeferralReturns() {
    source.add("b1", at(1), Outcome.READY);
    source.add("b2", at(2), Outcome.READY);
    DeferralResult split =
        new DeferralResult(
            RunKeys.deferralStaging(STAGING),
            List.of("complete-00000.parquet", "released-00000.parquet"),
            17,
            2048,
            3,
            2,
            1,
            0);
    source.deferralAnswer = split;

    PlatformIngestResult result = run(PlatformPipelines.deferring(PlatformPipelines.ordered()));

    assertThat(source.deferrals).hasSize(1);
    DeferralRequest asked = source.deferrals.get(0);
    assertThat(asked.stagingUri()).isEqualTo(STAGING);
    assertThat(asked.files()).containsExactly(fileOf("b1"), fileOf("b2"));
    assertThat(asked.defer()).isEqualTo(PlatformPipelines.DEFER);
    assertThat(asked.sink().path()).isEqualTo(TABLE);
    PublishRequest publish = onlyPublish();
    assertThat(publish.stagingUri()).isEqualTo(split.stagingUri());
    assertThat(publish.files()).isEqualTo(split.files());
    assertThat(publish.defer()).isEqualTo(PlatformPipelines.DEFER);
    assertThat(result.deferral()).isEqualTo(split);
    assertThat(result.rows()).isEqualTo(17);
    Histories.keep(client, PlatformPipelines.WORKFLOW_ID, "platformingest-deferred.json");
  }

  // --- platform sink ----------------------------------------------------------------------------

  @Test
  void
      givenPlatformSink_whenRunning_thenSendsTheStagedFilesAndPublishesOnlyAfterTheBatchSucceeded() {
    source.add("b1", at(1), Outcome.READY);
    source.add("b2", at(2), Outcome.READY);

    PlatformIngestResult result =
        run(PlatformPipelines.sendingToPlatform(PlatformPipelines.ordered()));

    assertThat(sink.uploadedUris)
        .containsExactlyInAnyOrder(STAGING + "/" + fileOf("b1"), STAGING + "/" + fileOf("b2"));
    assertThat(journal.indexOf("batch success")).isGreaterThan(journal.indexOf("read b2"));
    assertThat(journal.indexOf("publish")).isGreaterThan(journal.indexOf("batch success"));
    assertThat(result.egress().batchId()).isEqualTo(FakeSinkPlatform.BATCH_ID);
    assertThat(sink.records)
        .containsEntry(
            RunKeys.sentBatch(
                PlatformPipelines.sendingToPlatform(PlatformPipelines.ordered()).sink().lakeTable(),
                RunKeys.of(WORKFLOW_ID)),
            List.of(FakeSinkPlatform.BATCH_ID));
    assertThat(client.fetchHistory(BatchEgressWorkflow.workflowId(WORKFLOW_ID)).getEvents())
        .as("the egress child is named after the window")
        .isNotEmpty();
    Histories.keep(client, PlatformPipelines.WORKFLOW_ID, "platformingest-sent.json");
  }

  @Test
  void
      givenPlatformRejectsTheBatch_whenRunning_thenFailsWithItsMessageVerbatimAndPublishesNothing() {
    source.add("b1", at(1), Outcome.READY);
    sink.failWith = List.of(new PlatformError("200", GUIDE_FAILURE));

    assertThatThrownBy(() -> run(PlatformPipelines.sendingToPlatform(PlatformPipelines.ordered())))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = failureOf(e);
              assertThat(failure.getType()).isEqualTo(FailureType.PLATFORM_BATCH_FAILED.type());
              assertThat(failure.getOriginalMessage())
                  .contains(FakeSinkPlatform.BATCH_ID)
                  .contains("[200] " + GUIDE_FAILURE);
            });
    assertThat(source.publishes).isEmpty();
    assertThat(source.discards).hasValue(1);
    Histories.keep(client, PlatformPipelines.WORKFLOW_ID, "platformingest-platform-rejected.json");
  }
}
