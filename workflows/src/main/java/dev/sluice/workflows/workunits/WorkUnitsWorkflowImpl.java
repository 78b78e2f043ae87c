package dev.sluice.workflows.workunits;

import static dev.sluice.workflows.common.Failures.rootMessage;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.UnitsSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.UnitMessages.PlanPageRequest;
import dev.sluice.workflows.activities.UnitMessages.PlanRequest;
import dev.sluice.workflows.activities.UnitMessages.SummaryRequest;
import dev.sluice.workflows.activities.UnitMessages.UnitOutcome;
import dev.sluice.workflows.activities.UnitMessages.UnitPlan;
import dev.sluice.workflows.activities.UnitMessages.UnitStatus;
import dev.sluice.workflows.activities.UnitMessages.UnitsSummary;
import dev.sluice.workflows.activities.UnitStoreActivities;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflow;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.RunDetails;
import dev.sluice.workflows.common.SearchAttributes;
import dev.sluice.workflows.common.StageTracker;
import dev.sluice.workflows.common.Stubs;
import dev.sluice.workflows.common.WindowRun;
import dev.sluice.workflows.common.WorkflowIds;
import dev.sluice.workflows.workunits.WorkUnitsInput.UnitsCursor;
import dev.sluice.workflows.workunits.WorkUnitsProgress.Stage;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * See {@link WorkUnitsWorkflow}. Deterministic: the list, the plan and every unit's state are read
 * and written by activities; each unit is a child workflow.
 */
public final class WorkUnitsWorkflowImpl implements WorkUnitsWorkflow {

  /**
   * Planned units read per activity call: keeps each result small (a page of short keys), while a
   * list of thousands costs only tens of reads.
   */
  static final int PAGE = 100;

  private final StageTracker<Stage> stage = new StageTracker<>(Stage.LISTING);

  /** The run's counts, as it carries them over a continue-as-new; null until it has a plan. */
  private UnitsCursor cursor;

  /** Units running now. */
  private int running;

  @Override
  public WorkUnitsResult run(WorkUnitsInput input) {
    stage.describedBy(this::details);
    stage.refresh();
    PipelineSpec spec = input.pipeline();
    UnitsSpec units = spec.units();
    if (units == null || !(spec.source() instanceof AsyncHttpSource source)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "pipeline " + spec.name() + " has no 'units' block on an async-http source",
          FailureType.INVALID_PIPELINE.type());
    }
    LakeTable table = spec.sink().lakeTable();
    UnitsCursor resumed = input.resumed();
    cursor = resumed != null ? resumed : plan(spec, units, source, table, input.logicalDate());
    stage.enter(Stage.RUNNING);

    String logicalDate = cursor.logicalDate();
    int limit = Math.max(1, units.maxParallel());
    int startedHere = 0;
    List<Promise<Void>> inFlight = new ArrayList<>();
    int planned = cursor.planned();
    boolean cancelled = false;
    UnitStoreActivities pages = store(ActivityProfiles.SINK_CALL, "read the unit plan");
    while (cursor.next() < planned && !cancelled) {
      List<String> page =
          pages
              .readPlan(
                  new PlanPageRequest(
                      cursor.planUri(), cursor.next(), Math.min(PAGE, planned - cursor.next())))
              .units();
      if (page.isEmpty()) {
        // The plan is shorter than it said: never loop on it.
        throw ApplicationFailure.newNonRetryableFailure(
            "the unit plan " + cursor.planUri() + " ends at " + cursor.next() + " of " + planned,
            FailureType.STAGED_FILE_MISSING.type());
      }
      for (String unit : page) {
        if (inFlight.size() >= limit) {
          Promise.anyOf(inFlight).get();
          inFlight.removeIf(Promise::isCompleted);
        }
        if (CancellationScope.current().isCancelRequested()) {
          // A cancelled run starts no further unit: those stay as they were (pending or failed).
          cancelled = true;
          break;
        }
        inFlight.add(Async.procedure(() -> runUnit(spec, units, table, logicalDate, unit, input)));
        cursor = cursor.withNext(cursor.next() + 1);
        startedHere++;
        if (cursor.next() < planned
            && (startedHere >= UNITS_PER_EXECUTION
                || Workflow.getInfo().isContinueAsNewSuggested())) {
          // Drain first: an outcome must be recorded by the execution whose child produced it.
          Promise.allOf(inFlight).get();
          Workflow.continueAsNew(
              new WorkUnitsInput(spec, input.logicalDate(), input.upsertStage(), cursor));
        }
      }
    }
    Promise.allOf(inFlight).get();
    if (cancelled || CancellationScope.current().isCancelRequested()) {
      throw new CanceledFailure(
          "work units cancelled after "
              + cursor.next()
              + " of "
              + planned
              + " units started; units not finished keep their earlier state");
    }
    stage.enter(Stage.SUMMARIZING);
    UnitsSummary summary =
        store(ActivityProfiles.SINK_CALL, "summarize the units of " + table.path())
            .summarize(
                new SummaryRequest(table, cursor.planUri(), units.partition(), MAX_REPORTED));
    stage.enter(Stage.DONE);
    return new WorkUnitsResult(
        table.path(),
        planned,
        cursor.succeeded(),
        cursor.failed(),
        cursor.rows(),
        summary.listed(),
        summary.done(),
        summary.failed(),
        summary.pending(),
        summary.units(),
        summary.truncated(),
        summary.reportUri());
  }

  /** What the Web UI shows as the run's current details. */
  private RunDetails details() {
    WorkUnitsProgress p = progress();
    return RunDetails.of(p.stage())
        .count("Units listed", p.listed())
        .ofTotal("Units started", p.started(), p.planned())
        .count("Units running", p.running())
        .count("Units succeeded", p.succeeded())
        .count("Units failed", p.failed())
        .count("Rows", cursor == null ? 0 : cursor.rows());
  }

  @Override
  public WorkUnitsProgress progress() {
    if (cursor == null) {
      return new WorkUnitsProgress(stage.current(), 0, 0, 0, 0, 0, running);
    }
    return new WorkUnitsProgress(
        stage.current(),
        cursor.listed(),
        cursor.planned(),
        cursor.next(),
        cursor.succeeded(),
        cursor.failed(),
        running);
  }

  /** Step 1: list the units and plan this run (one activity; the values stay in the plan file). */
  private UnitsCursor plan(
      PipelineSpec spec,
      UnitsSpec units,
      AsyncHttpSource source,
      LakeTable table,
      String givenDate) {
    WindowRun window = new WindowRun(spec, givenDate);
    // Every unit's child runs the same window (the same pipeline name and logical date), so this
    // is also the key each partition records the window under.
    String windowKey = window.key;
    String logicalDate = window.logicalDate;
    String planUri = UnitPaths.plan(table, windowKey, window.firstRunId);
    Map<String, String> vars = window.windowVars(Map.of());
    UnitPlan plan =
        store(
                ActivityProfiles.SINK_CALL,
                "list the units of " + spec.name() + " (" + units.from() + ")")
            .plan(new PlanRequest(units, source.auth(), vars, table, planUri, windowKey));
    return new UnitsCursor(logicalDate, planUri, plan.listed(), plan.planned(), 0, 0, 0, 0);
  }

  /**
   * Step 2 for one unit: the pipeline as a child run, filtered by the unit's value, landing in the
   * unit's partition; then its outcome is stored. A failed unit is stored as failed, never thrown.
   */
  private void runUnit(
      PipelineSpec spec,
      UnitsSpec units,
      LakeTable table,
      String logicalDate,
      String unit,
      WorkUnitsInput input) {
    String partition = UnitPaths.partition(table.path(), units.partition(), unit);
    PipelineSpec unitSpec = spec.withUnits(null).withSink(spec.sink().forUnit(units.partition(), unit, partition));
    String childId = WorkflowIds.unit(Workflow.getInfo().getWorkflowId(), unit);
    ChildWorkflowOptions.Builder options =
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(childId)
            // A unit that ran in an earlier run of the same window may run again.
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setStaticSummary("unit " + units.variable() + "=" + unit);
    if (input.upsertStage()) {
      options.setTypedSearchAttributes(SearchAttributes.atStart(unitSpec));
    }
    UnitOutcome outcome;
    running++;
    stage.refresh();
    try {
      AsyncIngestResult result =
          Workflow.newChildWorkflowStub(AsyncIngestWorkflow.class, options.build())
              .run(
                  AsyncIngestInput.of(unitSpec, logicalDate)
                      .withUpsertStage(input.upsertStage())
                      .withVars(Map.of(units.variable(), unit)));
      running--;
      cursor = cursor.afterSuccess(result.rows());
      stage.refresh();
      outcome =
          new UnitOutcome(
              table,
              unit,
              UnitStatus.DONE,
              result.rows(),
              result.watermark(),
              null,
              childId,
              now());
    } catch (TemporalFailure e) {
      running--;
      if (CancellationScope.current().isCancelRequested()) {
        return; // cancelled with the run: the unit keeps its earlier state
      }
      cursor = cursor.afterFailure();
      stage.refresh();
      outcome =
          new UnitOutcome(table, unit, UnitStatus.FAILED, 0, null, rootMessage(e), childId, now());
    }
    store(ActivityProfiles.SINK_CALL, "record unit " + unit).record(outcome);
  }

  private static String now() {
    return java.time.Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }

  /** A stub whose calls carry {@code summary}, shown beside the activity in the Web UI. */
  private static UnitStoreActivities store(ActivityOptions profile, String summary) {
    return Stubs.summarized(UnitStoreActivities.class, profile, summary);
  }
}
