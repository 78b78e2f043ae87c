package dev.sluice.workflows.workunits;

import dev.sluice.workflows.histories.Histories;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Timestamps;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.RequestSpec;
import dev.sluice.pipeline.UnitsSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.UnitMessages.UnitOutcome;
import dev.sluice.workflows.activities.UnitMessages.UnitStatus;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflow;
import dev.sluice.workflows.asyncingest.Progress;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Work units with time skipping: a scripted child per unit, an in-memory unit store. */
class WorkUnitsWorkflowTest {
  private static final String QUEUE = "test";
  private static final String TABLE = "file:///lake/responses";

  /** Failures still to serve, by unit value. */
  static final Map<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();

  /** How long each unit's run takes (workflow time); zero for the big list. */
  static volatile Duration unitRun = Duration.ofHours(1);

  /**
   * A unit's run: {@link #unitRun} of work, then as many rows as its value is long, with the unit
   * value as the watermark; or the scripted failure.
   */
  public static class ScriptedUnitIngest implements AsyncIngestWorkflow {
    @Override
    public AsyncIngestResult run(AsyncIngestInput input) {
      String unit = input.vars().get("survey");
      if (!unitRun.isZero()) {
        Workflow.sleep(unitRun);
      }
      AtomicInteger left = FAILURES.get(unit);
      if (left != null && left.getAndDecrement() > 0) {
        throw ApplicationFailure.newNonRetryableFailure(
            "provider job 7 failed (state 'failed'): survey " + unit + " is locked",
            FailureType.PROVIDER_JOB_FAILED.type());
      }
      return AsyncIngestResult.newBuilder()
          .requestId("job")
          .tableUri(input.pipeline().sink().lakeTable().path())
          .rows(unit.length())
          .watermark("w-" + unit)
          .build();
    }

    @Override
    public Progress progress() {
      return null;
    }

    @Override
    public void permitGranted(dev.sluice.workflows.permits.PermitMessages.PermitGrant grant) {}
  }

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private FakeUnitStore store;

  @BeforeEach
  void setUp() {
    FAILURES.clear();
    unitRun = Duration.ofHours(1);
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(
        WorkUnitsWorkflowImpl.class, ScriptedUnitIngest.class);
    store = new FakeUnitStore();
    worker.registerActivitiesImplementations(store);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private static PipelineSpec pipeline(int maxParallel, int maxUnitsPerRun) {
    UnitsSpec units =
        new UnitsSpec(
            "http",
            new RequestSpec(null, "http://provider/surveys", Map.of(), null),
            "/surveys",
            "/id",
            null,
            null,
            "survey",
            "survey_id",
            maxParallel,
            maxUnitsPerRun,
            null);
    return PipelineSpec.newBuilder(
            "responses",
            new AsyncHttpSource(null, null, null, null, null, null, null, null),
            new ParquetSink(TABLE, "snapshot", null, null, List.of(), null))
        .setUnits(units)
        .build();
  }

  private static List<String> surveys(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> String.format("S%04d", i)).toList();
  }

  private WorkUnitsResult run(PipelineSpec spec, String logicalDate) {
    return client
        .newWorkflowStub(
            WorkUnitsWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId("ingest/" + spec.name() + "/" + logicalDate)
                .build())
        .run(WorkUnitsInput.of(spec, logicalDate, false));
  }

  private List<String> unitsRecordedAfter(int index) {
    return store.recorded.subList(index, store.recorded.size()).stream()
        .map(UnitOutcome::unit)
        .sorted()
        .toList();
  }

  @Test
  void givenUnits_whenRun_thenEachChildGetsItsValueAndPartitionAndOutcomeIsStored() {
    store.list = List.of("S1", "S22", "S1");

    WorkUnitsResult result = run(pipeline(4, 0), "2026-11-22");

    String childId = "ingest/responses/2026-11-22/unit=S22";
    AsyncIngestInput child = childInput(childId);
    assertThat(child.vars()).containsExactly(Map.entry("survey", "S22"));
    assertThat(child.pipeline().sink().lakeTable().path()).isEqualTo(TABLE + "/survey_id=S22");
    assertThat(child.pipeline().sink().lakeTable().mode()).isEqualTo("snapshot");
    assertThat(child.pipeline().units()).isNull();
    assertThat(child.logicalDate()).isEqualTo("2026-11-22");
    assertThat(store.states.get("S22").workflowId()).isEqualTo(childId);
    assertThat(store.states.get("S22").watermark()).isEqualTo("w-S22");
    assertThat(result.succeeded()).isEqualTo(2);
    assertThat(result.rows()).isEqualTo(2 + 3);
    assertThat(result.units())
        .extracting(u -> u.unit() + ":" + u.status() + ":" + u.rows())
        .containsExactly("S1:DONE:2", "S22:DONE:3");
    Histories.keep(client, "ingest/responses/2026-11-22", "workunits-success.json");
  }

  @Test
  void givenMaxParallelTwo_whenSixUnitsRun_thenNeverMoreThanTwoRunAtOnce() {
    List<String> units = surveys(6);
    store.list = units;

    run(pipeline(2, 0), "2026-11-22");

    List<long[]> spans = new ArrayList<>();
    for (String unit : units) {
      List<HistoryEvent> events =
          client.fetchHistory("ingest/responses/2026-11-22/unit=" + unit).getEvents();
      spans.add(
          new long[] {
            Timestamps.toMillis(events.get(0).getEventTime()),
            Timestamps.toMillis(events.get(events.size() - 1).getEventTime())
          });
    }
    int most = 0;
    for (long[] s : spans) {
      long at = s[0];
      int overlapping = (int) spans.stream().filter(o -> o[0] <= at && at < o[1]).count();
      most = Math.max(most, overlapping);
    }
    // Exactly two: one would mean the units ran one by one.
    assertThat(most).isEqualTo(2);
  }

  @Test
  void givenMaxUnitsPerRunThree_whenRunTwice_thenTheSecondRunTakesTheNextThree() {
    store.list = surveys(7);

    WorkUnitsResult first = run(pipeline(4, 3), "2026-11-22");
    WorkUnitsResult second = run(pipeline(4, 3), "2026-11-23");

    assertThat(first.planned()).isEqualTo(3);
    assertThat(first.pending()).isEqualTo(4);
    assertThat(second.units()).extracting(u -> u.unit()).containsExactly("S0004", "S0005", "S0006");
    assertThat(second.done()).isEqualTo(6);
    assertThat(second.pending()).isEqualTo(1);
  }

  @Test
  void givenUnitFailsOnce_whenRunAgain_thenOnlyThatUnitRunsAndDoneUnitsAreNotRedone() {
    store.list = surveys(4);
    FAILURES.put("S0002", new AtomicInteger(1));

    WorkUnitsResult first = run(pipeline(4, 0), "2026-11-22");
    Histories.keep(client, "ingest/responses/2026-11-22", "workunits-unit-failed.json");
    int recordedBySecond = store.recorded.size();
    WorkUnitsResult second = run(pipeline(4, 0), "2026-11-23");

    assertThat(first.failed()).isEqualTo(1);
    assertThat(first.failedTotal()).isEqualTo(1);
    assertThat(first.done()).isEqualTo(3);
    assertThat(first.units())
        .filteredOn(u -> u.status() == UnitStatus.FAILED)
        .extracting(u -> u.unit() + ": " + u.error())
        .containsExactly("S0002: provider job 7 failed (state 'failed'): survey S0002 is locked");
    assertThat(unitsRecordedAfter(recordedBySecond)).containsExactly("S0002");
    assertThat(second.planned()).isEqualTo(1);
    assertThat(second.succeeded()).isEqualTo(1);
    assertThat(second.done()).isEqualTo(4);
    assertThat(second.failedTotal()).isZero();
  }

  @Test
  void givenFailedAndPendingUnits_whenMaxUnitsPerRunIsOne_thenTheFailedUnitGoesFirst() {
    store.list = surveys(3);
    FAILURES.put("S0001", new AtomicInteger(1));
    run(pipeline(4, 1), "2026-11-22");
    int before = store.recorded.size();

    WorkUnitsResult second = run(pipeline(4, 1), "2026-11-23");

    assertThat(unitsRecordedAfter(before)).containsExactly("S0001");
    assertThat(second.pending()).isEqualTo(2);
  }

  @Test
  void givenTwoThousandUnits_whenRun_thenAllDoneAndEveryExecutionHistoryStaysBounded() {
    unitRun = Duration.ZERO;
    store.list = surveys(2000);

    WorkUnitsResult result = run(pipeline(8, 0), "2026-11-22");

    assertThat(result.succeeded()).isEqualTo(2000);
    assertThat(result.done()).isEqualTo(2000);
    assertThat(result.units()).hasSize(WorkUnitsWorkflow.MAX_REPORTED);
    assertThat(result.truncated()).isTrue();
    assertThat(store.states).hasSize(2000);
    List<Integer> historyLengths = executionHistoryLengths("ingest/responses/2026-11-22");
    assertThat(historyLengths).hasSize(2000 / WorkUnitsWorkflow.UNITS_PER_EXECUTION);
    // About 7.7 events per unit: 400 units make about 3,100 events (measured 3,053-3,083).
    assertThat(historyLengths).allSatisfy(n -> assertThat(n).isLessThan(4000));
    // Pages of the plan, never the whole list in one result.
    assertThat(store.pageReads).allSatisfy(r -> assertThat(r.limit()).isLessThanOrEqualTo(100));
  }

  /** Events in each execution of a chain, oldest first, following continue-as-new back. */
  private List<Integer> executionHistoryLengths(String workflowId) {
    List<Integer> lengths = new ArrayList<>();
    String runId = null;
    while (true) {
      History history =
          runId == null
              ? client.fetchHistory(workflowId).getHistory()
              : client.fetchHistory(workflowId, runId).getHistory();
      lengths.add(0, history.getEventsCount());
      String previous =
          history
              .getEvents(0)
              .getWorkflowExecutionStartedEventAttributes()
              .getContinuedExecutionRunId();
      if (previous.isEmpty()) {
        return lengths;
      }
      runId = previous;
    }
  }

  private AsyncIngestInput childInput(String workflowId) {
    HistoryEvent started = client.fetchHistory(workflowId).getEvents().get(0);
    return GlobalDataConverter.get()
        .fromPayloads(
            0,
            Optional.of(started.getWorkflowExecutionStartedEventAttributes().getInput()),
            AsyncIngestInput.class,
            AsyncIngestInput.class);
  }
}
