package dev.sluice.workflows.asyncingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.histories.Histories;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Workflow logic with time skipping and scripted activities. */
class AsyncIngestWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(AsyncIngestWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private TestWorkflowEnvironment env;
  private String queue;
  private FakeProvider fake;
  private WorkflowClient client;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    this.env = env;
    this.queue = worker.getTaskQueue();
    fake = new FakeProvider(env);
    worker.registerActivitiesImplementations(fake);
    env.start();
    client = env.getWorkflowClient();
  }

  private AsyncIngestWorkflow workflow(String id) {
    return client.newWorkflowStub(
        AsyncIngestWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(id).build());
  }

  private static ApplicationFailure rootCause(WorkflowFailedException e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return (ApplicationFailure) t;
  }

  @Test
  void givenJobReadyAfterManyPolls_whenRunning_thenSubmitsOnceExtractsOncePublishesAndDeletes() {
    fake.readyAfterPolls = 25;

    AsyncIngestResult result =
        workflow("ingest/contacts/2026-11-22")
            .run(AsyncIngestInput.of(Pipelines.salesforceLike(), "2026-11-22"));

    assertThat(result.polls()).isEqualTo(25);
    assertThat(result.rows()).isEqualTo(1234);
    assertThat(result.requestId()).isEqualTo("job-42");
    assertThat(result.watermark()).isEqualTo("2026-01-02T00:00:00.000Z");
    assertThat(fake.submits).hasValue(1);
    assertThat(fake.extracts).hasValue(1);
    assertThat(fake.publishes).hasValue(1);
    assertThat(fake.deletes).hasValue(1);
    assertThat(fake.aborts).hasValue(0);
    assertThat(fake.lastPublish.newWatermark()).isEqualTo("2026-01-02T00:00:00.000Z");
    assertThat(fake.lastPublish.stagingUri())
        .isEqualTo("file:///tmp/table/_sluice/staging/ingest_contacts_2026-11-22");
    Histories.keep(client, "ingest/contacts/2026-11-22", "asyncingest-windowed-success.json");
  }

  @Test
  void givenStoredWatermark_whenSubmitting_thenTemplatesSeeIt() {
    fake.previousWatermark = "2026-01-01T00:00:00.000Z";

    workflow("w").run(AsyncIngestInput.of(Pipelines.salesforceLike(), "2026-11-22"));

    assertThat(fake.submitVars.get(0))
        .containsEntry("watermark", "2026-01-01T00:00:00.000Z")
        .containsEntry("logicalDate", "2026-11-22")
        .containsEntry("runId", "w")
        .containsEntry("pipeline", "contacts")
        .doesNotContainKey("requestId");
    assertThat(fake.submitVars.get(0).get("idempotencyKey"))
        .as("unique to the run, so a window run again is a new provider job")
        .startsWith("w/")
        .hasSizeGreaterThan("w/".length());
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"server", "workflow"})
  void givenSlowJob_whenPolling_thenIntervalsBackOffUpToTheCeiling(String polling) {
    fake.readyAfterPolls = 8;

    workflow("w")
        .run(AsyncIngestInput.of(Pipelines.polling(Pipelines.salesforceLike(), polling), "d"));

    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < fake.statusCheckTimes.size(); i++) {
      gaps.add(fake.statusCheckTimes.get(i) - fake.statusCheckTimes.get(i - 1));
    }
    // 5s, 7.5s, 11.25s, then capped at 20s. Allow slack for activity dispatch in the test server.
    List<Long> expected = List.of(5_000L, 7_500L, 11_250L, 16_875L, 20_000L, 20_000L, 20_000L);
    assertThat(gaps).hasSameSizeAs(expected);
    for (int i = 0; i < expected.size(); i++) {
      assertThat(gaps.get(i)).as("gap %d", i).isBetween(expected.get(i), expected.get(i) + 1_000);
    }
  }

  @Test
  void givenProviderFailsJob_whenPolling_thenWorkflowFailsWithProviderMessageAndNothingPublished() {
    fake.readyAfterPolls = 2;
    fake.failWithMessage =
        "InvalidBatch : Failed to process query: INVALID_FIELD: No such column 'Foo'";

    assertThatThrownBy(
            () -> workflow("w").run(AsyncIngestInput.of(Pipelines.salesforceLike(), "d")))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure cause = rootCause(e);
              assertThat(cause.getType()).isEqualTo(FailureType.PROVIDER_JOB_FAILED.type());
              assertThat(cause.getOriginalMessage())
                  .contains("job-42")
                  .contains("No such column 'Foo'");
            });
    assertThat(fake.publishes).hasValue(0);
    assertThat(fake.extracts).hasValue(0);
    assertThat(fake.aborts).as("a failed job is already final").hasValue(0);
    assertThat(fake.deletes).as("the failed job is deleted").hasValue(1);
    assertThat(fake.discards).hasValue(1);
  }

  @Test
  void givenJobNeverReady_whenTimeoutPasses_thenAbortsAndFailsNamingTheTimeout() {
    fake.readyAfterPolls = Integer.MAX_VALUE;
    var spec =
        Pipelines.salesforceLike(
            Duration.ofSeconds(10), 2.0, Duration.ofMinutes(5), Duration.ofMinutes(30));

    assertThatThrownBy(() -> workflow("w").run(AsyncIngestInput.of(spec, "d")))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure cause = rootCause(e);
              assertThat(cause.getType()).isEqualTo(FailureType.WAIT_TIMEOUT.type());
              assertThat(cause.getOriginalMessage())
                  .contains("source.status.timeout (30m)")
                  .contains("the job was aborted");
            });
    assertThat(fake.aborts).hasValue(1);
    assertThat(fake.publishes).hasValue(0);
    // The last check happens at the deadline, not a full interval after it.
    long waited =
        fake.statusCheckTimes.get(fake.statusCheckTimes.size() - 1) - fake.statusCheckTimes.get(0);
    assertThat(waited)
        .isBetween(
            Duration.ofMinutes(30).toMillis() - 1_000, Duration.ofMinutes(30).toMillis() + 1_000);
  }

  @Test
  void givenStatusEndpointAlwaysFailing_whenTimeoutIs30s_thenAbortsWithinTheTimeoutNamingItsError() {
    fake.statusEndpointDown = true;
    var spec =
        Pipelines.salesforceLike(
            Duration.ofSeconds(5), 1.5, Duration.ofSeconds(20), Duration.ofSeconds(30));

    assertThatThrownBy(() -> workflow("w").run(AsyncIngestInput.of(spec, "d")))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure cause = rootCause(e);
              assertThat(cause.getType()).isEqualTo(FailureType.WAIT_TIMEOUT.type());
              assertThat(cause.getOriginalMessage())
                  .contains("source.status.timeout (30s); no status check was answered")
                  .contains("no answer before the deadline: HTTP 500 Internal Server Error")
                  .contains("the job was aborted");
            });
    assertThat(fake.aborts).hasValue(1);
    assertThat(fake.discards).hasValue(1);
    assertThat(fake.publishes).hasValue(0);
    // Retried until the deadline, then once more at it.
    assertThat(fake.statusAttemptTimes).hasSizeGreaterThan(5);
    var events = client.fetchHistory("w").getEvents();
    long took =
        com.google.protobuf.util.Timestamps.toMillis(events.get(events.size() - 1).getEventTime())
            - com.google.protobuf.util.Timestamps.toMillis(events.get(0).getEventTime());
    // Workflow time from start to failure: the 30 s deadline (its last check given a few
    // seconds), never the check's own 15-minute budget.
    assertThat(took)
        .isLessThanOrEqualTo(
            Duration.ofSeconds(30).plus(ActivityProfiles.MIN_BOUNDED_CALL).plusSeconds(1).toMillis());
  }

  @Test
  void givenStatusEndpointFailingAtTheDeadline_whenLastCheckRuns_thenItGetsTheMinimumBudget() {
    // Two good checks, then the endpoint goes down: the check made at the deadline still gets
    // a few seconds, and the run ends within them.
    fake.readyAfterPolls = Integer.MAX_VALUE;
    var spec =
        Pipelines.salesforceLike(
            Duration.ofSeconds(20), 1.0, Duration.ofSeconds(20), Duration.ofSeconds(40));
    AsyncIngestWorkflow wf = workflow("w");
    WorkflowClient.start(wf::run, AsyncIngestInput.of(spec, "d"));
    env.sleep(Duration.ofSeconds(25));
    fake.statusEndpointDown = true;

    assertThatThrownBy(() -> WorkflowStub.fromTyped(wf).getResult(AsyncIngestResult.class))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure cause = rootCause(e);
              assertThat(cause.getType()).isEqualTo(FailureType.WAIT_TIMEOUT.type());
              assertThat(cause.getOriginalMessage())
                  .contains("after 2 status checks; last state 'InProgress'")
                  .contains("HTTP 500 Internal Server Error");
            });
    assertThat(fake.aborts).hasValue(1);
    var events = client.fetchHistory("w").getEvents();
    long took =
        com.google.protobuf.util.Timestamps.toMillis(events.get(events.size() - 1).getEventTime())
            - com.google.protobuf.util.Timestamps.toMillis(events.get(0).getEventTime());
    assertThat(took)
        .isLessThanOrEqualTo(
            Duration.ofSeconds(40).plus(ActivityProfiles.MIN_BOUNDED_CALL).plusSeconds(2).toMillis());
  }

  @Test
  void givenStatusCheckOutOfTimeBeforeTheDeadline_whenEndpointRecovers_thenRunCompletes() {
    // The first check's retries stop short of the 30 s deadline (the next would pass it); the
    // run waits and checks again instead of giving up early. (The timer loop's checks; server-side
    // polling counts every attempt: ServerPollingWorkflowTest.)
    fake.readyAfterPolls = 1;
    fake.statusEndpointDown = true;
    var spec =
        Pipelines.timerLoop(
            Pipelines.salesforceLike(
                Duration.ofSeconds(5), 1.5, Duration.ofSeconds(20), Duration.ofSeconds(30)));
    AsyncIngestWorkflow wf = workflow("w");
    WorkflowClient.start(wf::run, AsyncIngestInput.of(spec, "d"));
    env.sleep(Duration.ofSeconds(17));
    fake.statusEndpointDown = false;

    AsyncIngestResult result = WorkflowStub.fromTyped(wf).getResult(AsyncIngestResult.class);

    assertThat(result.polls()).isEqualTo(1);
    assertThat(fake.publishes).hasValue(1);
    assertThat(fake.aborts).hasValue(0);
  }

  @Test
  void givenRunWaiting_whenCancelled_thenProviderJobAbortedAndStagingDiscarded() {
    // The timer loop's progress is in its query; server-side polling: ServerPollingWorkflowTest.
    fake.readyAfterPolls = Integer.MAX_VALUE;
    AsyncIngestWorkflow wf = workflow("w");
    WorkflowClient.start(
        wf::run, AsyncIngestInput.of(Pipelines.timerLoop(Pipelines.salesforceLike()), "d"));
    env.sleep(Duration.ofMinutes(2));

    Progress progress = wf.progress();
    assertThat(progress.stage()).isEqualTo(Progress.Stage.WAITING);
    assertThat(progress.polls()).isGreaterThan(3);
    assertThat(progress.providerState()).isEqualTo("InProgress");

    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    stub.cancel();
    assertThatThrownBy(() -> stub.getResult(AsyncIngestResult.class))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> assertThat(e.getCause()).isInstanceOf(CanceledFailure.class));
    assertThat(fake.aborts).hasValue(1);
    assertThat(fake.discards).hasValue(1);
    assertThat(fake.publishes).hasValue(0);
    Histories.keep(client, "w", "asyncingest-cancelled-waiting.json");
  }

  /** The run's own failure (not its causes): its message carries what the clean-up did. */
  private static ApplicationFailure runFailure(WorkflowFailedException e) {
    return (ApplicationFailure) e.getCause();
  }

  @Test
  void givenSubmitAnswerLostAfterProviderAccepted_whenSubmitFails_thenReceiptsJobIsAborted() {
    // An attempt wrote its receipt (the provider accepted job-7), then its answer was lost and the
    // submit failed for good: no result named the job to the workflow.
    fake.submitFailure =
        ApplicationFailure.newNonRetryableFailure("result lost: shard status unknown", "TestLost");
    fake.receiptJob = "job-7";
    fake.receiptValues = Map.of("/token", "t-7");
    AsyncIngestWorkflow wf = workflow("ingest/contacts/2026-11-22");
    String runId =
        WorkflowClient.start(
                wf::run, AsyncIngestInput.of(Pipelines.salesforceLike(), "2026-11-22"))
            .getRunId();

    assertThatThrownBy(() -> WorkflowStub.fromTyped(wf).getResult(AsyncIngestResult.class))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              assertThat(runFailure(e).getType()).isEqualTo("TestLost");
              assertThat(runFailure(e).getOriginalMessage())
                  .isEqualTo(
                      "result lost: shard status unknown; the provider had accepted job job-7"
                          + " all the same (the submit receipt names it): the clean-up aborts it");
            });
    assertThat(fake.receiptReads)
        .containsExactly(
            "file:///tmp/table/_sluice/jobs/ingest_contacts_2026-11-22/" + runId + ".json");
    assertThat(fake.aborts).hasValue(1);
    assertThat(fake.abortVars.get(0))
        .containsEntry("requestId", "job-7")
        .as("the submit's values, as a submit that answered hands them on")
        .containsEntry("submit:/token", "t-7");
    assertThat(fake.discards).hasValue(1);
    assertThat(fake.releases).hasSize(1);
    assertThat(fake.submits).as("never submitted again").hasValue(1);
    assertThat(fake.publishes).hasValue(0);
    Histories.keep(client, "ingest/contacts/2026-11-22", "asyncingest-submit-lost-aborted.json");
  }

  @Test
  void givenSubmitFailingUntilItsTimeout_whenReceiptNamesAJob_thenItIsAborted() {
    fake.submitFailure =
        ApplicationFailure.newFailure("HTTP 503 Service Unavailable", "HttpTransient");
    fake.receiptJob = "job-7";

    assertThatThrownBy(
            () -> workflow("w").run(AsyncIngestInput.of(Pipelines.salesforceLike(), "d")))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e ->
                assertThat(runFailure(e).getOriginalMessage())
                    .contains("HTTP 503 Service Unavailable")
                    .contains("job job-7"));
    assertThat(fake.submits.get())
        .as("retried until SHORT_CALL's 15 minutes ran out")
        .isGreaterThan(5);
    assertThat(fake.abortVars).extracting(v -> v.get("requestId")).containsExactly("job-7");
    assertThat(fake.discards).hasValue(1);
  }

  @Test
  void givenRunCancelledDuringSubmit_whenReceiptNamesAJob_thenItIsAbortedAndRunCancelled()
      throws InterruptedException {
    // The submit reached the provider (its receipt names job-7) and is still in flight when the
    // run is cancelled: the workflow stops waiting for its answer at once.
    fake.submitGate = new java.util.concurrent.CountDownLatch(1);
    fake.receiptJob = "job-7";
    AsyncIngestWorkflow wf = workflow("w");
    WorkflowClient.start(wf::run, AsyncIngestInput.of(Pipelines.salesforceLike(), "d"));
    while (fake.submits.get() == 0) {
      Thread.sleep(10);
    }
    WorkflowStub stub = WorkflowStub.fromTyped(wf);

    stub.cancel();

    try {
      assertThatThrownBy(() -> stub.getResult(AsyncIngestResult.class))
          .isInstanceOfSatisfying(
              WorkflowFailedException.class,
              e -> assertThat(e.getCause()).isInstanceOf(CanceledFailure.class));
    } finally {
      fake.submitGate.countDown();
    }
    assertThat(fake.receiptReads).hasSize(1);
    assertThat(fake.abortVars).extracting(v -> v.get("requestId")).containsExactly("job-7");
    assertThat(fake.discards).hasValue(1);
    assertThat(fake.releases).hasSize(1);
  }

  @Test
  void givenSubmitFailsWithoutReceipt_whenCleaningUp_thenNothingIsAbortedAndTheFailureIsAsItWas() {
    fake.submitFailure =
        ApplicationFailure.newNonRetryableFailure(
            "HTTP 400 Bad Request: bad query", "HttpClientError");

    assertThatThrownBy(
            () -> workflow("w").run(AsyncIngestInput.of(Pipelines.salesforceLike(), "d")))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              assertThat(rootCause(e).getOriginalMessage())
                  .isEqualTo("HTTP 400 Bad Request: bad query");
              assertThat(e.getCause()).isInstanceOf(ActivityFailure.class);
            });
    assertThat(fake.receiptReads).hasSize(1);
    assertThat(fake.aborts).hasValue(0);
    assertThat(fake.discards).hasValue(1);
    assertThat(fake.releases).hasSize(1);
  }

  @Test
  void givenReceiptsJobAbortFails_whenSubmitFailed_thenTheFailureNamesBoth() {
    fake.submitFailure = ApplicationFailure.newNonRetryableFailure("result lost", "TestLost");
    fake.receiptJob = "job-7";
    fake.abortFailure =
        ApplicationFailure.newNonRetryableFailure("HTTP 403 Forbidden", "HttpClientError");

    assertThatThrownBy(
            () -> workflow("w").run(AsyncIngestInput.of(Pipelines.salesforceLike(), "d")))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e ->
                assertThat(runFailure(e).getOriginalMessage())
                    .startsWith("result lost; the provider had accepted job job-7")
                    .endsWith(
                        "; clean-up also failed: abort of provider job job-7 failed:"
                            + " HTTP 403 Forbidden"));
    assertThat(fake.discards).hasValue(1);
  }

  @Test
  void givenSourceWithoutAbort_whenSubmitFails_thenNoReceiptIsRead() {
    fake.submitFailure = ApplicationFailure.newNonRetryableFailure("result lost", "TestLost");
    fake.receiptJob = "job-7";
    var spec = Pipelines.salesforceLike();
    var s = (dev.sluice.pipeline.AsyncHttpSource) spec.source();
    var withoutAbort =
        spec.toBuilder()
            .setSource(
                new dev.sluice.pipeline.AsyncHttpSource(
                    s.auth(),
                    s.submit(),
                    s.status(),
                    s.extract(),
                    new dev.sluice.pipeline.CleanupSpec(null, s.cleanup().delete()),
                    s.split(),
                    null,
                    null))
            .build();

    assertThatThrownBy(() -> workflow("w").run(AsyncIngestInput.of(withoutAbort, "d")))
        .isInstanceOf(WorkflowFailedException.class);
    assertThat(fake.receiptReads).as("nothing could be done with the job").isEmpty();
    assertThat(fake.aborts).hasValue(0);
    assertThat(fake.discards).hasValue(1);
  }

  @Test
  void givenThrottledStatusChecksAndDroppedExtracts_whenRunning_thenRetriedWithTheSameRequestId() {
    fake.transientStatusFailures.set(3);
    fake.transientExtractFailures.set(2);

    AsyncIngestResult result =
        workflow("w").run(AsyncIngestInput.of(Pipelines.salesforceLike(), "d"));

    assertThat(result.rows()).isEqualTo(1234);
    assertThat(fake.submits).as("never resubmitted").hasValue(1);
    assertThat(fake.extracts).hasValue(3);
    assertThat(fake.requestIdsSeen).isNotEmpty().containsOnly("job-42");
  }

  @Test
  void givenMalformedData_whenExtracting_thenFailsWithoutPublishingAndDiscardsStaging() {
    fake.malformedExtract = true;

    assertThatThrownBy(
            () -> workflow("w").run(AsyncIngestInput.of(Pipelines.salesforceLike(), "d")))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              assertThat(rootCause(e).getType()).isEqualTo(FailureType.MALFORMED_DATA.type());
              assertThat(rootCause(e).getOriginalMessage()).contains("page 2, line 7");
            });
    assertThat(fake.extracts).as("non-retryable").hasValue(1);
    assertThat(fake.publishes).hasValue(0);
    assertThat(fake.discards).hasValue(1);
    assertThat(fake.deletes).as("the finished provider job is not left behind").hasValue(1);
    Histories.keep(client, "w", "asyncingest-windowed-malformed-discarded.json");
  }

  @Test
  void givenVeryLongWait_whenPolling_thenContinuesAsNewWithoutResubmitting() {
    fake.readyAfterPolls = AsyncIngestWorkflowImpl.MAX_POLLS_PER_RUN + 20;
    var spec =
        Pipelines.timerLoop(
            Pipelines.salesforceLike(
                Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1), Duration.ofHours(2)));

    AsyncIngestResult result = workflow("long").run(AsyncIngestInput.of(spec, "d"));

    assertThat(result.polls()).isEqualTo(AsyncIngestWorkflowImpl.MAX_POLLS_PER_RUN + 20);
    assertThat(fake.submits).hasValue(1);
    var history = client.fetchHistory("long");
    long pollsInFinalRun =
        history.getEvents().stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_TIMER_FIRED)
            .count();
    assertThat(pollsInFinalRun)
        .as("the final run's history holds only the last stretch of the wait")
        .isLessThan(result.polls())
        .isLessThanOrEqualTo(AsyncIngestWorkflowImpl.MAX_POLLS_PER_RUN);
  }
}
