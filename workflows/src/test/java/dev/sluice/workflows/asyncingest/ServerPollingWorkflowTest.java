package dev.sluice.workflows.asyncingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.ServerPolls;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Server-side polling ({@code status.polling: server}, the default): the same outcomes as the
 * timer loop (ready, failed, timed out, cancelled), with the checks paced by the server's retries
 * of one activity. Time skipping, scripted activities.
 */
class ServerPollingWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(AsyncIngestWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  /** A provider whose pending answers carry a {@code Retry-After} of 30 s when asked to. */
  static final class RetryAfterProvider extends FakeProvider {
    volatile boolean retryAfter;

    RetryAfterProvider(TestWorkflowEnvironment env) {
      super(env);
    }

    @Override
    public ServerPolls.Final checkUntilFinal(StatusRequest request) {
      return ServerPolls.settle(
          checkStatus(request), "job-42", retryAfter ? Duration.ofSeconds(30) : null);
    }
  }

  private TestWorkflowEnvironment env;
  private RetryAfterProvider fake;
  private WorkflowClient client;
  private String queue;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    this.env = env;
    this.queue = worker.getTaskQueue();
    fake = new RetryAfterProvider(env);
    worker.registerActivitiesImplementations(fake);
    env.start();
    client = env.getWorkflowClient();
  }

  private AsyncIngestWorkflow workflow(String id) {
    return client.newWorkflowStub(
        AsyncIngestWorkflow.class,
        WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(id).build());
  }

  private static PipelineSpec everyFiveSeconds(Duration timeout) {
    return Pipelines.salesforceLike(
        Duration.ofSeconds(5), 1.0, Duration.ofSeconds(5), timeout);
  }

  private static ApplicationFailure rootCause(WorkflowFailedException e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return (ApplicationFailure) t;
  }

  private long events(String id, EventType type) {
    return client.fetchHistory(id).getEvents().stream()
        .filter(e -> e.getEventType() == type)
        .count();
  }

  @Test
  void givenReadyAfterManyChecks_whenPolledByTheServer_thenExtractsOnceWithoutATimerPerCheck() {
    fake.readyAfterPolls = 40;

    AsyncIngestResult result =
        workflow("s").run(AsyncIngestInput.of(everyFiveSeconds(Duration.ofHours(1)), "d"));

    assertThat(result.polls()).isEqualTo(40);
    assertThat(fake.statusCheckTimes).hasSize(40);
    assertThat(fake.extracts).hasValue(1);
    assertThat(fake.publishes).hasValue(1);
    assertThat(fake.aborts).hasValue(0);
    List<Long> gaps = gaps(fake.statusCheckTimes);
    assertThat(gaps).allSatisfy(g -> assertThat(g).isBetween(5_000L, 6_000L));
    assertThat(events("s", EventType.EVENT_TYPE_TIMER_STARTED)).isZero();
    assertThat(events("s", EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED))
        .as("submit, one status activity, extract, publish, delete and the sink's calls")
        .isLessThan(12);
    Histories.keep(client, "s", "asyncingest-server-polling-success.json");
  }

  @Test
  void givenProviderFailsTheJob_whenPolledByTheServer_thenFailsAtOnceWithItsMessage() {
    fake.readyAfterPolls = 3;
    fake.failWithMessage = "InvalidBatch : No such column 'Foo'";

    assertThatThrownBy(
            () -> workflow("f").run(AsyncIngestInput.of(everyFiveSeconds(Duration.ofHours(1)), "d")))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure cause = rootCause(e);
              assertThat(cause.getType()).isEqualTo(FailureType.PROVIDER_JOB_FAILED.type());
              assertThat(cause.isNonRetryable()).isTrue();
              assertThat(cause.getOriginalMessage())
                  .contains("job-42")
                  .contains("state 'Failed'")
                  .contains("No such column 'Foo'");
            });
    assertThat(fake.statusCheckTimes).as("no check after the failed answer").hasSize(3);
    assertThat(fake.extracts).hasValue(0);
    assertThat(fake.aborts).as("a failed job is already final").hasValue(0);
    assertThat(fake.deletes).hasValue(1);
    assertThat(fake.discards).hasValue(1);
  }

  @Test
  void givenJobNeverReady_whenTheDeadlinePasses_thenChecksAtItAbortsAndNamesTheTimeout() {
    fake.readyAfterPolls = Integer.MAX_VALUE;
    PipelineSpec spec =
        Pipelines.salesforceLike(
            Duration.ofSeconds(7), 1.0, Duration.ofSeconds(7), Duration.ofMinutes(1));

    assertThatThrownBy(() -> workflow("t").run(AsyncIngestInput.of(spec, "d")))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure cause = rootCause(e);
              assertThat(cause.getType()).isEqualTo(FailureType.WAIT_TIMEOUT.type());
              assertThat(cause.getOriginalMessage())
                  .contains("source.status.timeout (1m)")
                  .contains("after " + fake.statusCheckTimes.size() + " status checks")
                  .contains("last state 'InProgress'")
                  .contains("the job was aborted");
            });
    assertThat(fake.aborts).hasValue(1);
    assertThat(fake.discards).hasValue(1);
    assertThat(fake.publishes).hasValue(0);
    // The server's checks stop before the deadline; the last one is made at it.
    long waited =
        fake.statusCheckTimes.get(fake.statusCheckTimes.size() - 1) - fake.statusCheckTimes.get(0);
    assertThat(waited).isBetween(59_000L, 61_000L);
    assertThat(gaps(fake.statusCheckTimes)).allSatisfy(g -> assertThat(g).isLessThan(8_000L));
  }

  @Test
  void givenRunWaiting_whenCancelled_thenStopsCheckingAbortsTheJobAndShowedItsProgress() {
    fake.readyAfterPolls = Integer.MAX_VALUE;
    AsyncIngestWorkflow wf = workflow("c");
    WorkflowClient.start(wf::run, AsyncIngestInput.of(everyFiveSeconds(Duration.ofHours(1)), "d"));
    env.sleep(Duration.ofMinutes(1));

    Progress progress = PendingChecks.of(wf.progress(), client, "c");
    assertThat(progress.stage()).isEqualTo(Progress.Stage.WAITING);
    assertThat(progress.requestId()).isEqualTo("job-42");
    assertThat(progress.polls()).isBetween(9, 13);
    assertThat(progress.providerState()).isEqualTo("InProgress");

    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    stub.cancel();
    assertThatThrownBy(() -> stub.getResult(AsyncIngestResult.class))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> assertThat(e.getCause()).isInstanceOf(CanceledFailure.class));
    int checks = fake.statusCheckTimes.size();
    env.sleep(Duration.ofMinutes(1));
    assertThat(fake.statusCheckTimes).as("no check after the cancellation").hasSize(checks);
    assertThat(fake.aborts).hasValue(1);
    assertThat(fake.discards).hasValue(1);
    assertThat(fake.publishes).hasValue(0);
  }

  @Test
  void givenPendingAnswersWithRetryAfter_whenPolledByTheServer_thenTheNextCheckWaitsForIt() {
    fake.readyAfterPolls = 4;
    fake.retryAfter = true;

    AsyncIngestResult result =
        workflow("r").run(AsyncIngestInput.of(everyFiveSeconds(Duration.ofHours(1)), "d"));

    assertThat(result.polls()).isEqualTo(4);
    assertThat(gaps(fake.statusCheckTimes))
        .hasSize(3)
        .allSatisfy(g -> assertThat(g).as("Retry-After 30 s, not the 5 s interval")
            .isBetween(30_000L, 31_000L));
  }

  @Test
  void givenThrottledChecks_whenPolledByTheServer_thenTheirRetryAfterIsHonouredToo() {
    fake.readyAfterPolls = 2;
    fake.transientStatusFailures.set(2);

    AsyncIngestResult result =
        workflow("x").run(AsyncIngestInput.of(everyFiveSeconds(Duration.ofHours(1)), "d"));

    assertThat(result.polls()).as("every attempt counts, answered or not").isEqualTo(4);
    assertThat(gaps(fake.statusAttemptTimes).subList(0, 2))
        .allSatisfy(g -> assertThat(g).as("the 429's Retry-After of 3 s").isBetween(3_000L, 4_000L));
  }

  private static List<Long> gaps(List<Long> times) {
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < times.size(); i++) {
      gaps.add(times.get(i) - times.get(i - 1));
    }
    return gaps;
  }
}
