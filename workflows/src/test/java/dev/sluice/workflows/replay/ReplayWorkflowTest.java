package dev.sluice.workflows.replay;

import dev.sluice.workflows.common.WorkflowIds;
import dev.sluice.workflows.histories.Histories;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Timestamps;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflow;
import dev.sluice.workflows.asyncingest.Progress;
import dev.sluice.workflows.platformingest.PlatformIngestInput;
import dev.sluice.workflows.platformingest.PlatformIngestProgress;
import dev.sluice.workflows.platformingest.PlatformIngestResult;
import dev.sluice.workflows.platformingest.PlatformIngestWorkflow;
import dev.sluice.workflows.replay.ReplayResult.Status;
import dev.sluice.workflows.replay.ReplayResult.Window;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Replays of a range with time skipping; each window's run is a scripted child workflow. */
class ReplayWorkflowTest {
  private static final String QUEUE = "test";

  /** Every window's run takes this long (workflow time). */
  private static final Duration WINDOW_RUN = Duration.ofHours(1);

  /** Counted down when a window's run of a {@code hold} pipeline runs; new for each test. */
  private static volatile java.util.concurrent.CountDownLatch holding;

  private static final String FAILING_WINDOW = "2026-11-03T00:00:00Z";
  private static final String FAILURE =
      "provider job job-7 failed (state 'Failed'): quota exceeded";

  /**
   * A window's run: an hour of work, then 100 rows; or a failure for the window the pipeline's
   * description names; or, described {@code hold}, a wait until cancelled on no timer (a cancel
   * that reaches a child at the instant its timer fires hits a race in Temporal's Java test server,
   * sdk-java#2606).
   */
  public static class ScriptedAsyncIngest implements AsyncIngestWorkflow {
    @Override
    public AsyncIngestResult run(AsyncIngestInput input) {
      if ("hold".equals(input.pipeline().description())) {
        holding.countDown(); // a test-only signal to the test thread; it changes no command
        Workflow.await(() -> false);
      }
      Workflow.sleep(WINDOW_RUN);
      if (("fail " + input.logicalDate()).equals(input.pipeline().description())) {
        throw ApplicationFailure.newNonRetryableFailure(FAILURE, FailureType.PROVIDER_JOB_FAILED.type());
      }
      return AsyncIngestResult.newBuilder()
          .requestId("job")
          .tableUri("file:///tmp/t")
          .rows(100)
          .build();
    }

    @Override
    public Progress progress() {
      return null;
    }

    @Override
    public void permitGranted(dev.sluice.workflows.permits.PermitMessages.PermitGrant grant) {}
  }

  /** A platform-source window's run: an hour of work, then 7 rows. */
  public static class ScriptedPlatformIngest implements PlatformIngestWorkflow {
    @Override
    public PlatformIngestResult run(PlatformIngestInput input) {
      Workflow.sleep(WINDOW_RUN);
      return PlatformIngestResult.newBuilder()
          .tableUri("file:///tmp/t")
          .rows(7)
          .settleChecks(1)
          .build();
    }

    @Override
    public PlatformIngestProgress progress() {
      return null;
    }
  }

  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeEach
  void setUp() {
    holding = new java.util.concurrent.CountDownLatch(1);
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(
        ReplayWorkflowImpl.class, ScriptedAsyncIngest.class, ScriptedPlatformIngest.class);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private static PipelineSpec pipeline(String description) {
    return PipelineSpec.newBuilder(
            "contacts",
            new AsyncHttpSource(null, null, null, null, null, null, null, null),
            new ParquetSink("file:///tmp/t", null, null, null, List.of(), null))
        .setDescription(description)
        .build();
  }

  private ReplayResult replay(PipelineSpec spec, String from, String to, int maxParallel) {
    return client
        .newWorkflowStub(
            ReplayWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(WorkflowIds.replay(spec.name(), from, to))
                .build())
        .run(new ReplayInput(spec, from, to, maxParallel, false));
  }

  /** When a child ran, by its history: first and last event. */
  private record Span(String workflowId, long start, long end) {}

  private Span span(String workflowId) {
    List<HistoryEvent> events = client.fetchHistory(workflowId).getEvents();
    return new Span(
        workflowId,
        Timestamps.toMillis(events.get(0).getEventTime()),
        Timestamps.toMillis(events.get(events.size() - 1).getEventTime()));
  }

  private <T> T childInput(String workflowId, Class<T> type) {
    HistoryEvent started = client.fetchHistory(workflowId).getEvents().get(0);
    return GlobalDataConverter.get()
        .fromPayloads(
            0,
            Optional.of(started.getWorkflowExecutionStartedEventAttributes().getInput()),
            type,
            type);
  }


  /** The most children running at one instant. */
  private static int mostAtOnce(List<Span> spans) {
    int most = 0;
    for (Span s : spans) {
      int running = 0;
      for (Span other : spans) {
        if (other.start() <= s.start() && s.start() < other.end()) {
          running++;
        }
      }
      most = Math.max(most, running);
    }
    return most;
  }

  @Test
  void givenThreeWindowsOneAtATime_whenReplaying_thenOldestFirstEachAfterThePreviousEnded() {
    ReplayResult result =
        replay(pipeline("test"), "2026-11-01T00:00:00Z", "2026-11-04T00:00:00Z", 1);

    assertThat(result.windows())
        .extracting(Window::logicalDate)
        .containsExactly("2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z", "2026-11-04T00:00:00Z");
    assertThat(result.windows())
        .extracting(Window::workflowId)
        .containsExactly(
            "ingest/contacts/2026-11-02T00:00:00Z",
            "ingest/contacts/2026-11-03T00:00:00Z",
            "ingest/contacts/2026-11-04T00:00:00Z");
    assertThat(result.windows())
        .allSatisfy(w -> assertThat(w.status()).isEqualTo(Status.SUCCEEDED));
    assertThat(result.windows()).allSatisfy(w -> assertThat(w.rows()).isEqualTo(100));
    List<Span> spans = new ArrayList<>();
    for (Window w : result.windows()) {
      spans.add(span(w.workflowId()));
    }
    for (int i = 1; i < spans.size(); i++) {
      assertThat(spans.get(i).start())
          .as("%s starts once %s ended", spans.get(i).workflowId(), spans.get(i - 1).workflowId())
          .isGreaterThanOrEqualTo(spans.get(i - 1).end());
    }
    Histories.keep(client, WorkflowIds.replay("contacts", "2026-11-01T00:00:00Z", "2026-11-04T00:00:00Z"), "replay-success.json");
  }

  @Test
  void givenAnyWindow_whenReplaying_thenItsRunIsMarkedAsAReplayOfThatWindow() {
    ReplayResult result =
        replay(pipeline("test"), "2026-11-01T00:00:00Z", "2026-11-03T00:00:00Z", 1);

    for (Window w : result.windows()) {
      AsyncIngestInput input = childInput(w.workflowId(), AsyncIngestInput.class);
      assertThat(input.replay()).as(w.workflowId()).isTrue();
      assertThat(input.logicalDate()).isEqualTo(w.logicalDate());
    }
  }

  @Test
  void givenAWindowFails_whenReplaying_thenItIsReportedWithItsMessageAndTheOthersStillRun() {
    ReplayResult result =
        replay(
            pipeline("fail " + FAILING_WINDOW), "2026-11-01T00:00:00Z", "2026-11-04T00:00:00Z", 1);

    assertThat(result.windows())
        .extracting(Window::status)
        .containsExactly(Status.SUCCEEDED, Status.FAILED, Status.SUCCEEDED);
    Window failed = result.windows().get(1);
    assertThat(failed.logicalDate()).isEqualTo(FAILING_WINDOW);
    assertThat(failed.error()).isEqualTo(FAILURE);
    assertThat(result.windows().get(2).rows()).isEqualTo(100);
    Histories.keep(client, WorkflowIds.replay("contacts", "2026-11-01T00:00:00Z", "2026-11-04T00:00:00Z"), "replay-window-failed.json");
  }

  @Test
  void givenTwoAtOnce_whenReplayingFiveWindows_thenNeverMoreThanTwoRun() {
    ReplayResult result =
        replay(pipeline("test"), "2026-11-01T00:00:00Z", "2026-11-06T00:00:00Z", 2);

    List<Span> spans = new ArrayList<>();
    for (Window w : result.windows()) {
      spans.add(span(w.workflowId()));
    }
    assertThat(result.windows()).hasSize(5);
    assertThat(mostAtOnce(spans)).as("two at once, never more").isEqualTo(2);
    assertThat(result.windows())
        .allSatisfy(w -> assertThat(w.status()).isEqualTo(Status.SUCCEEDED));
  }

  @Test
  void givenPlatformSource_whenReplaying_thenEachWindowRunsAsAPlatformIngestReplay() {
    PipelineSpec spec =
        PipelineSpec.newBuilder(
                "events",
                new PlatformBatchesSource(null, "ds", null, null, null, null, null, null, null),
                new ParquetSink("file:///tmp/t", null, null, null, List.of(), null))
            .setDescription("test")
            .build();

    ReplayResult result = replay(spec, "2026-11-01T00:00:00Z", "2026-11-03T00:00:00Z", 1);

    assertThat(result.windows()).extracting(Window::rows).containsExactly(7L, 7L);
    PlatformIngestInput input =
        childInput("ingest/events/2026-11-03T00:00:00Z", PlatformIngestInput.class);
    assertThat(input.replay()).isTrue();
    assertThat(input.logicalDate()).isEqualTo("2026-11-03T00:00:00Z");
    Histories.keep(client, WorkflowIds.replay("events", "2026-11-01T00:00:00Z", "2026-11-03T00:00:00Z"), "replay-platform.json");
  }

  @Test
  void givenWindowRunning_whenReplayCancelled_thenCancelledAndNoLaterWindowStarts()
      throws Exception {
    PipelineSpec spec = pipeline("hold");
    String from = "2026-11-01T00:00:00Z";
    String to = "2026-11-04T00:00:00Z";
    ReplayWorkflow wf =
        client.newWorkflowStub(
            ReplayWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(WorkflowIds.replay(spec.name(), from, to))
                .build());
    WorkflowClient.start(wf::run, new ReplayInput(spec, from, to, 1, false));
    // The first window's run is holding: its workflow code ran.
    assertThat(holding.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(wf.progress().windows())
        .extracting(Window::status)
        .containsExactly(Status.RUNNING, Status.PENDING, Status.PENDING);

    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    stub.cancel();

    assertThatThrownBy(() -> stub.getResult(ReplayResult.class))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> assertThat(e.getCause()).isInstanceOf(CanceledFailure.class));
    assertThat(wf.progress().windows())
        .extracting(Window::status)
        .as("the running window ends with the replay; the later ones never start")
        .containsExactly(Status.FAILED, Status.PENDING, Status.PENDING);
    Histories.keep(client, WorkflowIds.replay(spec.name(), from, to), "replay-cancelled.json");
  }

  @Test
  void givenRangeNotWholeWindows_whenReplaying_thenFailsAsAnInvalidPipelineWithoutRunningAny() {
    assertThatThrownBy(
            () -> replay(pipeline("test"), "2026-11-01T00:00:00Z", "2026-11-02T06:00:00Z", 1))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = (ApplicationFailure) e.getCause();
              assertThat(failure.getType()).isEqualTo(FailureType.INVALID_PIPELINE.type());
              assertThat(failure.getOriginalMessage()).contains("not a whole number");
            });
    Histories.keep(client, WorkflowIds.replay("contacts", "2026-11-01T00:00:00Z", "2026-11-02T06:00:00Z"), "replay-invalid-range.json");
  }
}
