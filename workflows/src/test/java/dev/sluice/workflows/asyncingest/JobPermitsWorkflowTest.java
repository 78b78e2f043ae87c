package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.permits.LimitKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.BudgetSpec;
import dev.sluice.pipeline.ConcurrencySpec;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.workflows.asyncingest.Progress.Stage;
import dev.sluice.workflows.histories.Histories;
import dev.sluice.workflows.permits.BudgetWorkflowImpl;
import dev.sluice.workflows.permits.Budgets;
import dev.sluice.workflows.permits.PermitMessages.PermitsState;
import dev.sluice.workflows.permits.PermitsWorkflow;
import dev.sluice.workflows.permits.PermitsWorkflowImpl;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
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
 * Runs of async-http pipelines sharing a {@code concurrency} key or a {@code budget} key, with the
 * real permits and budget workflows, on the time-skipping test server; the provider counts its
 * jobs in flight.
 */
class JobPermitsWorkflowTest {
  private static final String DAY = "2026-11-22";
  private static final String KEY = "marketo-acme";

  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(
              AsyncIngestWorkflowImpl.class, PermitsWorkflowImpl.class, BudgetWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private TestWorkflowEnvironment env;
  private String queue;
  private InFlightProvider provider;
  private WorkflowClient client;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    this.env = env;
    this.queue = worker.getTaskQueue();
    provider = new InFlightProvider(env);
    client = env.getWorkflowClient();
    worker.registerActivitiesImplementations(provider, new TimeLockedPermits(env));
    env.start();
  }

  static PipelineSpec pipeline(String name, ConcurrencySpec concurrency, BudgetSpec budget) {
    PipelineSpec base = Pipelines.salesforceLike();
    AsyncHttpSource s = (AsyncHttpSource) base.source();
    return PipelineSpec.newBuilder(
            name,
            new AsyncHttpSource(
                s.auth(), s.submit(), s.status(), s.extract(), s.cleanup(), null, concurrency, budget),
            base.sink())
        .setIncremental(base.incremental())
        .build();
  }

  private AsyncIngestWorkflow start(PipelineSpec spec) {
    AsyncIngestWorkflow run =
        client.newWorkflowStub(
            AsyncIngestWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(queue)
                .setWorkflowId("ingest/" + spec.name() + "/" + DAY)
                .build());
    WorkflowClient.start(run::run, AsyncIngestInput.of(spec, DAY));
    return run;
  }

  private AsyncIngestWorkflow limited(String name, int max) {
    return start(pipeline(name, new ConcurrencySpec(KEY, max), null));
  }

  /** Lets every run do what it can now (the test server skips time only when all are idle). */
  private void settle() {
    env.sleep(Duration.ofSeconds(1));
  }

  private PermitsState permits() {
    return client
        .newWorkflowStub(PermitsWorkflow.class, LimitKeys.permits(KEY))
        .state();
  }

  private static AsyncIngestResult result(AsyncIngestWorkflow run) {
    return WorkflowStub.fromTyped(run).getResult(AsyncIngestResult.class);
  }

  @Test
  void givenFiveRunsSharingALimitOfTwo_whenAllRun_thenNeverMoreThanTwoJobsInFlight() {
    List<AsyncIngestWorkflow> runs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      runs.add(limited("p" + i, 2));
    }

    runs.forEach(run -> assertThat(result(run).rows()).isEqualTo(1234));

    assertThat(provider.submitOrder).hasSize(5);
    assertThat(provider.highWater).as("jobs in flight at the provider, at most").hasValue(2);
    assertThat(provider.inFlight).isEmpty();
    assertThat(permits().holders()).isEmpty();
    assertThat(permits().waiters()).isEmpty();
  }

  @Test
  void givenRunsWaitingInLine_whenPermitsFree_thenGrantedFirstComeFirstServed() {
    List<AsyncIngestWorkflow> runs = new ArrayList<>();
    for (String name : List.of("a", "b", "c", "d")) {
      runs.add(limited(name, 1));
      settle();
    }
    Progress waiting = runs.get(2).progress();

    runs.forEach(JobPermitsWorkflowTest::result);

    assertThat(provider.submitOrder).containsExactly("a", "b", "c", "d");
    assertThat(provider.highWater).hasValue(1);
    Histories.keep(client, "ingest/c/" + DAY, "asyncingest-permit-waited.json");
    assertThat(waiting.stage()).isEqualTo(Stage.WAITING_FOR_PERMIT);
    assertThat(waiting.waitingFor())
        .isEqualTo("permit marketo-acme (1 of 1 running, number 2 in line)");
    assertThat(waiting.requestId()).as("not submitted while waiting").isNull();
  }

  @Test
  void givenTwoPipelinesStatingDifferentLimits_whenSharingAKey_thenTheSmallestWins() {
    List<AsyncIngestWorkflow> runs = new ArrayList<>();
    runs.add(limited("loose-1", 3));
    settle();
    runs.add(limited("strict", 1));
    settle();
    runs.add(limited("loose-2", 3));

    runs.forEach(JobPermitsWorkflowTest::result);

    assertThat(provider.submitOrder).containsExactly("loose-1", "strict", "loose-2");
    assertThat(provider.highWater)
        .as("while the strict pipeline holds or waits, its limit of 1 is in force for all")
        .hasValue(1);
  }

  @Test
  void givenTheHolderJobFails_whenItsRunFails_thenThePermitGoesToTheNext() {
    provider.failing.add("a");
    AsyncIngestWorkflow a = limited("a", 1);
    settle();
    AsyncIngestWorkflow b = limited("b", 1);

    assertThatThrownBy(() -> result(a)).isInstanceOf(WorkflowFailedException.class);
    assertThat(result(b).rows()).isEqualTo(1234);
    assertThat(permits().holders()).isEmpty();
  }

  @Test
  void givenRunsCancelled_whenHoldingAndWaiting_thenPermitAndPlaceGoBack_andTheJobIsAborted() {
    provider.pollsPerJob = 1_000;
    AsyncIngestWorkflow a = limited("a", 1);
    settle();
    AsyncIngestWorkflow b = limited("b", 1);
    settle();
    assertThat(permits().waiters()).hasSize(1);

    WorkflowStub.fromTyped(b).cancel();
    settle();
    assertThat(permits().waiters()).as("b's place in line went back").isEmpty();
    WorkflowStub.fromTyped(a).cancel();
    settle();

    assertThat(permits().holders()).as("a's permit went back").isEmpty();
    assertThat(provider.aborts).hasValue(1);
    assertThat(provider.inFlight).isEmpty();
    provider.pollsPerJob = 1;
    assertThat(result(limited("c", 1)).rows()).isEqualTo(1234);
  }

  @Test
  void givenAHolderTerminatedWithoutReleasing_whenTheNextWaits_thenThePermitIsReclaimed() {
    provider.pollsPerJob = 1_000;
    AsyncIngestWorkflow a = limited("a", 1);
    settle();
    WorkflowStub.fromTyped(a).terminate("operator");
    provider.pollsPerJob = 1;
    long before = env.currentTimeMillis();

    AsyncIngestWorkflow b = limited("b", 1);

    assertThat(result(b).rows()).isEqualTo(1234);
    assertThat(provider.submitTimes.get(1) - before)
        .as("b submitted once the dead holder was found, on the next check")
        .isGreaterThan(0)
        .isLessThanOrEqualTo(Duration.ofMinutes(3).toMillis());
  }

  @Test
  void givenADailyJobBudgetSpent_whenWaitIsChosen_thenTheRunWaitsForTheNextUtcDay() {
    BudgetSpec budget = new BudgetSpec("acme-daily", 1L, null, "wait");
    provider.pollsPerJob = 1;
    result(start(pipeline("first", null, budget)));

    AsyncIngestWorkflow second = start(pipeline("second", null, budget));
    result(second);

    List<Duration> timers =
        client.fetchHistory("ingest/second/" + DAY).getEvents().stream()
            .filter(HistoryEvent::hasTimerStartedEventAttributes)
            .map(e -> e.getTimerStartedEventAttributes().getStartToFireTimeout())
            .map(d -> Duration.ofSeconds(d.getSeconds(), d.getNanos()))
            .toList();
    assertThat(timers)
        .as("one durable timer until the next UTC day, beside the status checks' seconds")
        .filteredOn(d -> d.compareTo(Duration.ofMinutes(1)) > 0)
        .hasSize(1)
        .allMatch(d -> d.compareTo(Duration.ofDays(1)) <= 0);
    assertThat(provider.submitOrder).containsExactly("first", "second");
    Histories.keep(client, "ingest/second/" + DAY, "asyncingest-budget-waited.json");
    assertThat(Budgets.day(provider.submitTimes.get(1)))
        .isGreaterThan(Budgets.day(provider.submitTimes.get(0)));
    assertThat(provider.submitTimes.get(1) - provider.submitTimes.get(0))
        .as("submitted just after midnight, not a day later")
        .isLessThan(Duration.ofDays(1).toMillis());
  }


  @Test
  void givenADailyJobBudgetSpent_whenFailIsChosen_thenTheRunFailsWithOneClearLine() {
    BudgetSpec budget = new BudgetSpec("acme-daily", 1L, null, "fail");
    provider.pollsPerJob = 1;
    result(start(pipeline("first", null, budget)));
    String day = Budgets.day(env.currentTimeMillis());

    AsyncIngestWorkflow second = start(pipeline("second", null, budget));

    assertThatThrownBy(() -> result(second))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure cause = (ApplicationFailure) e.getCause();
              assertThat(cause.getType()).isEqualTo(Budgets.EXCEEDED);
              assertThat(cause.getOriginalMessage())
                  .isEqualTo(
                      "budget acme-daily spent on " + day + ": 1 of maxJobsPerDay 1 jobs used");
            });
    assertThat(provider.submitOrder).containsExactly("first");
    Histories.keep(client, "ingest/second/" + DAY, "asyncingest-budget-refused.json");
  }

  @Test
  void givenADailyByteBudget_whenAnAdmittedRunExtractsPastIt_thenItCompletesAndTheNextIsRefused() {
    BudgetSpec budget = new BudgetSpec("acme-bytes", null, "1KB", "fail");
    provider.pollsPerJob = 1;

    AsyncIngestResult first = result(start(pipeline("first", null, budget)));
    AsyncIngestWorkflow second = start(pipeline("second", null, budget));

    assertThat(first.rows()).as("admitted, so never cut off").isEqualTo(1234);
    assertThatThrownBy(() -> result(second))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e ->
                assertThat(((ApplicationFailure) e.getCause()).getOriginalMessage())
                    .endsWith(": 56789 of maxBytesPerDay 1024 bytes used"));
  }
}
