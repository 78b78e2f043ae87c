package dev.sluice.workflows.asyncingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.SplitSpec;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Automatic splitting ({@code source.split}) with time skipping and a provider whose jobs fail or
 * grow with their date range: each part its own job, the parts tiling the window with no gap and no
 * overlap, one publish, every job cleaned up.
 */
class WindowSplitWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(
              AsyncIngestWorkflowImpl.class, SplitJobWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private static final String END = "2026-11-25T00:00:00Z";

  private TestWorkflowEnvironment env;
  private String queue;
  private RangeProvider provider;
  private WorkflowClient client;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    this.env = env;
    queue = worker.getTaskQueue();
    provider = new RangeProvider(env);
    worker.registerActivitiesImplementations(provider);
    env.start();
    client = env.getWorkflowClient();
  }

  /** A 4-day window (or {@code days}) that splits on Meta's error and over {@code maxRows}. */
  private static PipelineSpec pipeline(int days, Long maxRows, Duration minWindow) {
    return pipeline(Pipelines.salesforceLike(), days, maxRows, minWindow);
  }

  private static PipelineSpec pipeline(
      PipelineSpec base, int days, Long maxRows, Duration minWindow) {
    AsyncHttpSource s = (AsyncHttpSource) base.source();
    SplitSpec split =
        new SplitSpec("reduce the amount of data", maxRows, null, "/rows", null, minWindow);
    return base.toBuilder()
        .setIncremental(null)
        .setWindow(Duration.ofDays(days))
        .setSource(
            new AsyncHttpSource(
                s.auth(), s.submit(), s.status(), s.extract(), s.cleanup(), split, null, null))
        .build();
  }

  private AsyncIngestResult run(PipelineSpec pipeline, String id) {
    return client
        .newWorkflowStub(
            AsyncIngestWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(id).build())
        .run(AsyncIngestInput.of(pipeline, END));
  }

  private static String day(int offset, int windowDays) {
    return Instant.parse(END).minus(Duration.ofDays(windowDays - offset)).toString();
  }

  @Test
  void givenJobFailsOverOneDay_whenRunningFourDays_thenBisectsTwiceAndCommitsTheDaysOnce() {
    provider.maxDays = 1;

    AsyncIngestResult result = run(pipeline(4, null, null), "ingest/split/fail");

    assertThat(result.splits())
        .extracting(AsyncIngestResult.SplitPart::from, AsyncIngestResult.SplitPart::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(day(0, 4), day(1, 4)),
            org.assertj.core.groups.Tuple.tuple(day(1, 4), day(2, 4)),
            org.assertj.core.groups.Tuple.tuple(day(2, 4), day(3, 4)),
            org.assertj.core.groups.Tuple.tuple(day(3, 4), day(4, 4)));
    // The whole window, its two halves, then four days: seven jobs, four extracted.
    assertThat(provider.submits).hasValue(7);
    assertThat(provider.extracted).hasSize(4);
    assertThat(result.rows()).isEqualTo(4 * RangeProvider.ROWS_PER_DAY);
    assertThat(provider.publishes).hasValue(1);
    assertThat(provider.lastPublish.files())
        .hasSize(4)
        .allSatisfy(f -> assertThat(f).startsWith("split-").contains("/part-"));
    assertThat(provider.deleted).isEqualTo(provider.jobs.keySet());
    assertThat(provider.abortedJobs).isEmpty();
  }

  @Test
  void givenResultOverMaxRows_whenReady_thenHalvesWithoutExtractingTheWhole() {
    AsyncIngestResult result =
        run(pipeline(4, 2 * RangeProvider.ROWS_PER_DAY, null), "ingest/split/rows");

    assertThat(result.splits()).hasSize(2);
    assertThat(result.splits().get(0).to()).isEqualTo(day(2, 4));
    assertThat(result.splits()).allSatisfy(p -> assertThat(p.rows()).isEqualTo(200));
    assertThat(provider.submits).hasValue(3);
    // The whole window's job was ready but too large: never extracted, deleted after the commit.
    assertThat(provider.extracted).doesNotContain("job-1").hasSize(2);
    assertThat(provider.deleted).containsExactlyInAnyOrderElementsOf(provider.jobs.keySet());
    assertThat(provider.publishes).hasValue(1);
  }

  @Test
  void givenPartFailsAtMinWindow_whenSplitting_thenFailsNamingItPublishesNothingCleansEveryJob() {
    provider.maxDays = 0;

    assertThatThrownBy(() -> run(pipeline(2, null, null), "ingest/split/min"))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(
            e -> {
              ApplicationFailure cause = rootCause((WorkflowFailedException) e);
              assertThat(cause.getType()).isEqualTo(FailureType.PROVIDER_JOB_FAILED.type());
              assertThat(cause.getOriginalMessage())
                  .contains("split.minWindow (1d)")
                  .contains("[" + day(0, 2) + ", " + day(1, 2) + ") (1d)")
                  .contains(RangeProvider.TOO_MUCH)
                  .contains("nothing was published");
            });
    assertThat(provider.publishes).hasValue(0);
    assertThat(provider.discards.get()).isPositive();
    // The whole window's job and the first day's: both failed, both deleted; nothing left live.
    assertThat(provider.submits).hasValue(2);
    assertThat(provider.deleted).isEqualTo(provider.jobs.keySet());
    assertThat(provider.abortedJobs).isEmpty();
  }

  @Test
  void givenPartsSubmitAnswerLost_whenItFails_thenPartsReceiptJobAbortedAndNothingPublished() {
    provider.maxDays = 1;
    // The whole window's job answers; the first part's submit reached the provider (its receipt
    // names job-lost), but its answer never reached the part's workflow.
    provider.submitFailure = ApplicationFailure.newNonRetryableFailure("result lost", "TestLost");
    provider.submitFailsFrom = 2;
    provider.receiptJob = "job-lost";

    assertThatThrownBy(() -> run(pipeline(2, null, null), "ingest/split/lost"))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              StringBuilder messages = new StringBuilder();
              for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
              }
              assertThat(messages)
                  .contains("result lost; the provider had accepted job job-lost all the same");
            });
    String part = new SubWindow(day(0, 2), day(1, 2)).dirName();
    assertThat(provider.receiptReads)
        .singleElement()
        .satisfies(uri -> assertThat(uri).contains("-" + part + "/"));
    assertThat(provider.abortedJobs).containsExactly("job-lost");
    assertThat(provider.deleted).as("the whole window's failed job").containsExactly("job-1");
    assertThat(provider.publishes).hasValue(0);
  }

  @Test
  void givenSeveralWindowSizes_whenSplitting_thenThePartsTileTheWindowWithinTheLimit() {
    int run = 0;
    for (int days : new int[] {2, 3, 5, 7, 9}) {
      for (int maxDays : new int[] {1, 2, 3}) {
        if (maxDays >= days) {
          continue;
        }
        provider.maxDays = maxDays;
        int publishes = provider.publishes.get();
        AsyncIngestResult result = run(pipeline(days, null, null), "ingest/split/p" + run++);

        List<AsyncIngestResult.SplitPart> parts = result.splits();
        assertThat(parts.get(0).from()).isEqualTo(day(0, days));
        assertThat(parts.get(parts.size() - 1).to()).isEqualTo(END);
        for (int i = 0; i < parts.size(); i++) {
          Duration length =
              Duration.between(
                  Instant.parse(parts.get(i).from()), Instant.parse(parts.get(i).to()));
          assertThat(length).isPositive().isLessThanOrEqualTo(Duration.ofDays(maxDays));
          if (i > 0) {
            assertThat(parts.get(i).from()).isEqualTo(parts.get(i - 1).to());
          }
        }
        assertThat(result.rows()).isEqualTo(days * RangeProvider.ROWS_PER_DAY);
        assertThat(provider.publishes.get()).isEqualTo(publishes + 1);
      }
    }
  }

  @Test
  void givenNoSplitNeeded_whenRunning_thenOneJobAndNoParts() {
    AsyncIngestResult result = run(pipeline(4, null, null), "ingest/split/none");

    assertThat(result.splits()).isEmpty();
    assertThat(provider.submits).hasValue(1);
    assertThat(result.rows()).isEqualTo(4 * RangeProvider.ROWS_PER_DAY);
  }

  @Test
  void givenIncrementalWindow_whenSplit_thenHalvesTheWatermarkRangeEachPartKeepingItsShare() {
    provider.maxDays = 2;
    provider.previousWatermark = "2026-11-21T00:00:00Z";
    PipelineSpec incremental =
        pipeline(1, null, null).toBuilder()
            .setIncremental(
                new dev.sluice.pipeline.IncrementalSpec(
                    "SystemModstamp", "1970-01-01T00:00:00Z", "2026-11-25T00:00:00Z"))
            .build();

    AsyncIngestResult result = run(incremental, "ingest/split/incremental");

    assertThat(result.splits())
        .extracting(AsyncIngestResult.SplitPart::from, AsyncIngestResult.SplitPart::to)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("2026-11-21T00:00:00Z", "2026-11-23T00:00:00Z"),
            org.assertj.core.groups.Tuple.tuple("2026-11-23T00:00:00Z", "2026-11-25T00:00:00Z"));
    // (from, to] each; the last part owns what the new window owns: everything after its start.
    assertThat(provider.extractRequests)
        .extracting(r -> r.watermarkFrom(), r -> r.watermarkTo())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("2026-11-21T00:00:00Z", "2026-11-23T00:00:00Z"),
            org.assertj.core.groups.Tuple.tuple("2026-11-23T00:00:00Z", null));
    assertThat(provider.publishes).hasValue(1);
  }

  @Test
  void givenPartWaiting_whenRunCancelled_thenPartsJobAbortedWholeJobDeletedNothingPublished() {
    provider.maxDays = 1;
    provider.partsPending = true;
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            "AsyncIngestWorkflow",
            WorkflowOptions.newBuilder()
                .setTaskQueue(queue)
                .setWorkflowId("ingest/split/cancel")
                .build());
    stub.start(AsyncIngestInput.of(pipeline(4, null, null), END));
    while (provider.submits.get() < 2) {
      env.sleep(Duration.ofSeconds(5)); // workflow time: the part polls meanwhile
    }

    stub.cancel();

    assertThatThrownBy(() -> stub.getResult(AsyncIngestResult.class))
        .isInstanceOf(WorkflowFailedException.class);
    assertThat(provider.abortedJobs).containsExactly("job-2");
    assertThat(provider.deleted).containsExactly("job-1");
    assertThat(provider.publishes).hasValue(0);
    assertThat(provider.discards.get()).isPositive();
  }

  @Test
  void givenPartWaitingLong_whenPolling_thenThePartContinuesAsNewOnItsOwnAndStagesOnce() {
    provider.partPendingPolls = AsyncIngestWorkflowImpl.MAX_POLLS_PER_RUN + 10;
    // The timer loop continues as new; server-side polling has no history to outgrow.
    PipelineSpec everySecond =
        Pipelines.timerLoop(
            Pipelines.salesforceLike(
                Duration.ofSeconds(1), 1.0, Duration.ofSeconds(1), Duration.ofHours(2)));
    PipelineSpec split = pipeline(everySecond, 2, RangeProvider.ROWS_PER_DAY, null);

    AsyncIngestResult result = run(split, "ingest/split/long");

    assertThat(result.splits()).hasSize(2);
    assertThat(result.rows()).isEqualTo(2 * RangeProvider.ROWS_PER_DAY);
    assertThat(provider.submits).hasValue(3);
    assertThat(provider.extracted).containsExactly("job-2", "job-3");
    String part = "ingest/split/long/" + new SubWindow(day(0, 2), day(1, 2)).dirName();
    var history = client.fetchHistory(part);
    assertThat(history.getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
            .getContinuedExecutionRunId())
        .as("the part's last run was continued as new")
        .isNotEmpty();
  }

  private static ApplicationFailure rootCause(WorkflowFailedException e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return (ApplicationFailure) t;
  }
}
