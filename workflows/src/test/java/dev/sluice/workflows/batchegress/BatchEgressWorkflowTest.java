package dev.sluice.workflows.batchegress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.PlatformMessages.PlatformError;
import dev.sluice.workflows.fakes.Gate;
import dev.sluice.workflows.histories.Histories;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Workflow logic with time skipping and a scripted platform. */
class BatchEgressWorkflowTest {

  /** The guide's sample failure, as the platform reports it. */
  static final String GUIDE_FAILURE =
      "Error in validating schema for file:"
          + " 'adl://dataLake.azuredatalakestore.net/connectors-dev/stage/BATCHID/dataSetId/contact.csv'"
          + " with"
          + " errorMessage=adl://dataLake.azuredatalakestore.net/connectors-dev/stage/BATCHID/dataSetId/contact.csv"
          + " is not a Parquet file. expected magic number at tail [80, 65, 82, 49] but found [57,"
          + " 98, 55, 10] and errorType=java.lang.RuntimeException";

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(BatchEgressWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private TestWorkflowEnvironment env;
  private String queue;
  private FakePlatform fake;
  private WorkflowClient client;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    this.env = env;
    this.queue = worker.getTaskQueue();
    fake = new FakePlatform(env);
    worker.registerActivitiesImplementations(fake);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    fake.uploads.open();
  }

  private BatchEgressWorkflow workflow(String id) {
    return client.newWorkflowStub(
        BatchEgressWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(id).build());
  }

  private static ApplicationFailure rootCause(WorkflowFailedException e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return (ApplicationFailure) t;
  }

  private static BatchEgressInput input(int files) {
    return BatchEgressInput.of(Sinks.sink(), Sinks.files(files), "ingest/contacts/d");
  }

  @Test
  void givenBatchSucceedsAfterProcessing_whenRunning_thenOneBatchEachFileOnceCompletedOnce() {
    fake.successAfterPolls = 4;

    BatchEgressResult result = workflow("egress/a").run(input(5));

    assertThat(result.batchId()).isEqualTo(FakePlatform.BATCH_ID);
    assertThat(result.status()).isEqualTo("success");
    assertThat(result.files())
        .containsExactly(
            "part-00000.parquet",
            "part-00001.parquet",
            "part-00002.parquet",
            "part-00003.parquet",
            "part-00004.parquet");
    assertThat(result.bytes()).isEqualTo(5_000);
    assertThat(result.timings().polls()).isEqualTo(4);
    assertThat(result.timings().processingMillis())
        .isGreaterThanOrEqualTo(10_000 + 15_000 + 20_000 + 20_000);
    assertThat(fake.creates).hasValue(1);
    assertThat(fake.uploadAttempts).hasValue(5);
    assertThat(fake.filesInBatch).hasSize(5).allSatisfy((name, n) -> assertThat(n).isEqualTo(1));
    assertThat(fake.completes).hasValue(1);
    assertThat(fake.statusChecks).hasValue(4);
    assertThat(fake.aborts).as("a successful batch is final").hasValue(0);
    assertThat(fake.batchIdsSeen).containsOnly(FakePlatform.BATCH_ID);
  }

  @Test
  void givenSlowPlatform_whenPolling_thenIntervalsBackOffByHalfUpToTheCeiling() {
    fake.successAfterPolls = 6;

    workflow("egress/a").run(input(1));

    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < fake.statusCheckTimes.size(); i++) {
      gaps.add(fake.statusCheckTimes.get(i) - fake.statusCheckTimes.get(i - 1));
    }
    // 10s first, then 15s, 22.5s capped at 20s. Slack for activity dispatch in the test server.
    List<Long> expected = List.of(15_000L, 20_000L, 20_000L, 20_000L, 20_000L);
    assertThat(gaps).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(gaps.get(i)).as("gap %d", i).isBetween(expected.get(i), expected.get(i) + 1_000);
    }
  }

  @Test
  void givenReplacedBatches_whenCreating_thenTheyReachTheCreateCall() {
    workflow("egress/a")
        .run(
            BatchEgressInput.newBuilder(Sinks.sink(), Sinks.files(1), "replay")
                .setReplaces(List.of("OLD1", "OLD2"))
                .build());

    assertThat(fake.replacesSeen).containsExactly(List.of("OLD1", "OLD2"));
  }

  @Test
  void
      givenPlatformFailsBatch_whenPolling_thenFailsWithItsErrorsVerbatimAndTheBatchIdWithoutAborting() {
    fake.successAfterPolls = 2;
    fake.failWith =
        List.of(
            new PlatformError("200", GUIDE_FAILURE), new PlatformError("101", "second problem"));

    assertThatThrownBy(() -> workflow("egress/a").run(input(2)))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure cause = rootCause(e);
              assertThat(cause.getType()).isEqualTo(FailureType.PLATFORM_BATCH_FAILED.type());
              assertThat(cause.isNonRetryable()).isTrue();
              assertThat(cause.getOriginalMessage())
                  .contains(FakePlatform.BATCH_ID)
                  .contains("'failure'")
                  .contains("[200] " + GUIDE_FAILURE)
                  .contains(
                      "is not a Parquet file. expected magic number at tail [80, 65, 82, 49] but"
                          + " found [57, 98, 55, 10]")
                  .contains("[101] second problem");
            });
    assertThat(fake.aborts).as("a failed batch is already final").hasValue(0);
    assertThat(fake.creates).hasValue(1);
  }

  @Test
  void givenManyFiles_whenUploading_thenAtMostMaxParallelUploadsRunAtOnce() throws Exception {
    fake.uploads.hold();
    var in =
        BatchEgressInput.of(
            Sinks.sink(3, Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofHours(2)),
            Sinks.files(10),
            "l");
    BatchEgressWorkflow wf = workflow("egress/a");
    WorkflowClient.start(wf::run, in);

    // Step by step: the bound's worth of uploads are running (held at the gate) and the workflow
    // has scheduled no more; then one finishes, and only then may the next start.
    for (int left = 10; left > 0; left--) {
      fake.uploads.awaitWaiting(Math.min(3, left));
      assertThat(Gate.pendingActivities(client, wf))
          .as("uploads scheduled and not finished")
          .hasSizeLessThanOrEqualTo(3);
      fake.uploads.release(1);
    }
    BatchEgressResult result = WorkflowStub.fromTyped(wf).getResult(BatchEgressResult.class);

    assertThat(result.files()).hasSize(10);
    assertThat(fake.filesInBatch).hasSize(10);
    assertThat(fake.maxConcurrentUploads)
        .as("uploads run in parallel, never more than the bound")
        .hasValue(3);
  }

  @Test
  void givenUploadsFailWith5xx_whenRunning_thenRetriedIntoTheSameBatchWithoutDuplicates() {
    fake.transientUploadFailures.set(3);

    BatchEgressResult result = workflow("egress/a").run(input(4));

    assertThat(result.status()).isEqualTo("success");
    assertThat(fake.creates).as("the batch is never re-created").hasValue(1);
    assertThat(fake.uploadAttempts).hasValue(4 + 3);
    assertThat(fake.filesInBatch).hasSize(4).allSatisfy((name, n) -> assertThat(n).isEqualTo(1));
    assertThat(fake.batchIdsSeen).containsOnly(FakePlatform.BATCH_ID);
  }

  @Test
  void givenBatchProcessing_whenCancelled_thenBatchAborted() {
    fake.successAfterPolls = Integer.MAX_VALUE;
    BatchEgressWorkflow wf = workflow("egress/a");
    WorkflowClient.start(wf::run, input(2));
    env.sleep(Duration.ofMinutes(2));

    EgressProgress progress = wf.progress();
    assertThat(progress.stage()).isEqualTo(EgressProgress.Stage.WAITING);
    assertThat(progress.batchId()).isEqualTo(FakePlatform.BATCH_ID);
    assertThat(progress.filesUploaded()).isEqualTo(2);
    assertThat(progress.polls()).isGreaterThan(3);
    assertThat(progress.platformStatus()).isEqualTo("processing");

    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    stub.cancel();
    assertThatThrownBy(() -> stub.getResult(BatchEgressResult.class))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> assertThat(e.getCause()).isInstanceOf(CanceledFailure.class));
    assertThat(fake.aborts).hasValue(1);
  }

  @Test
  void givenUploadsInFlight_whenCancelled_thenBatchAbortedAndNeverCompleted() throws Exception {
    fake.uploads.hold();
    BatchEgressWorkflow wf = workflow("egress/a");
    WorkflowClient.start(wf::run, input(3));
    // Uploads run on activity threads and wait at the gate until the test ends: cancel while the
    // first is running.
    fake.uploads.awaitWaiting(1);
    assertThat(wf.progress().stage()).isEqualTo(EgressProgress.Stage.UPLOADING);

    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    stub.cancel();
    assertThatThrownBy(() -> stub.getResult(BatchEgressResult.class))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e ->
                assertThat(e.getCause())
                    .as("a cancellation, not a failure")
                    .isInstanceOf(CanceledFailure.class));
    assertThat(fake.aborts).hasValue(1);
    assertThat(fake.completes).hasValue(0);
    Histories.keep(client, "egress/a", "batchegress-cancelled-uploading.json");
  }

  @Test
  void givenBatchNeverFinal_whenTimeoutPasses_thenAbortsAndFailsNamingTheTimeout() {
    fake.successAfterPolls = Integer.MAX_VALUE;
    var in =
        BatchEgressInput.of(
            Sinks.sink(4, Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofMinutes(30)),
            Sinks.files(1),
            "l");

    assertThatThrownBy(() -> workflow("egress/a").run(in))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure cause = rootCause(e);
              assertThat(cause.getType()).isEqualTo(FailureType.WAIT_TIMEOUT.type());
              assertThat(cause.getOriginalMessage())
                  .contains(FakePlatform.BATCH_ID)
                  .contains("sink.timeout (30m)")
                  .contains("last status 'processing'")
                  .contains("the batch was aborted");
            });
    assertThat(fake.aborts).hasValue(1);
    // The last check happens at the deadline, not an interval after it.
    long last = fake.statusCheckTimes.get(fake.statusCheckTimes.size() - 1);
    long first = fake.statusCheckTimes.get(0);
    assertThat(last - first)
        .isBetween(
            Duration.ofMinutes(30).minusSeconds(11).toMillis(), Duration.ofMinutes(30).toMillis());
  }

  @Test
  void givenStatusEndpointAlwaysFailing_whenTimeoutIs30s_thenAbortsWithinTheTimeoutNamingItsError() {
    fake.statusEndpointDown = true;
    var in =
        BatchEgressInput.of(
            Sinks.sink(4, Duration.ofSeconds(5), Duration.ofSeconds(20), Duration.ofSeconds(30)),
            Sinks.files(1),
            "l");

    assertThatThrownBy(() -> workflow("egress/a").run(in))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure cause = rootCause(e);
              assertThat(cause.getType()).isEqualTo(FailureType.WAIT_TIMEOUT.type());
              assertThat(cause.getOriginalMessage())
                  .contains("sink.timeout (30s) after 0 status checks")
                  .contains("no answer before the deadline: HTTP 500 Internal Server Error")
                  .contains("the batch was aborted");
            });
    assertThat(fake.aborts).hasValue(1);
    // Retried until the deadline, not for the check's own 15 minutes.
    assertThat(fake.statusCheckTimes).hasSizeGreaterThan(3);
    var events = client.fetchHistory("egress/a").getEvents();
    long took =
        com.google.protobuf.util.Timestamps.toMillis(events.get(events.size() - 1).getEventTime())
            - com.google.protobuf.util.Timestamps.toMillis(events.get(0).getEventTime());
    assertThat(took)
        .isLessThanOrEqualTo(
            Duration.ofSeconds(30)
                .plus(dev.sluice.workflows.common.ActivityProfiles.MIN_BOUNDED_CALL)
                .plusSeconds(1)
                .toMillis());
    Histories.keep(client, "egress/a", "batchegress-status-down-deadline.json");
  }

  @Test
  void givenTwoFilesWithOneName_whenStarting_thenFailsBeforeCreatingABatch() {
    var in =
        BatchEgressInput.of(
            Sinks.sink(), List.of("file:///a/part-0.parquet", "s3a://b/c/part-0.parquet"), "l");

    assertThatThrownBy(() -> workflow("egress/a").run(in))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              assertThat(rootCause(e).getType()).isEqualTo(FailureType.INVALID_PIPELINE.type());
              assertThat(rootCause(e).getOriginalMessage()).contains("'part-0.parquet'");
            });
    assertThat(fake.creates).hasValue(0);
  }

  @Test
  void givenVeryLongProcessing_whenPolling_thenContinuesAsNewWithoutRecreatingOrReuploading() {
    fake.successAfterPolls = BatchPolls.MAX_PER_RUN + 20;
    var in =
        BatchEgressInput.of(
            Sinks.sink(4, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofHours(2)),
            Sinks.files(3),
            "l");

    BatchEgressResult result = workflow("long").run(in);

    assertThat(result.timings().polls()).isEqualTo(BatchPolls.MAX_PER_RUN + 20);
    assertThat(result.files()).hasSize(3);
    assertThat(result.bytes()).isEqualTo(3_000);
    assertThat(fake.creates).hasValue(1);
    assertThat(fake.uploadAttempts).hasValue(3);
    assertThat(fake.completes).hasValue(1);
    long timersInFinalRun =
        client.fetchHistory("long").getEvents().stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_FIRED)
            .count();
    assertThat(timersInFinalRun)
        .as("the final run's history holds only the last stretch of the wait")
        .isLessThanOrEqualTo(BatchPolls.MAX_PER_RUN);
  }

  @Test
  void fileNamesComeFromTheLastPathSegment() {
    assertThat(
            BatchFileNames.of(
                List.of("s3a://bucket/t/part-1.parquet", "hdfs://nn:8020/t/x/part-2.parquet?v=1")))
        .containsExactly("part-1.parquet", "part-2.parquet");
  }
}
