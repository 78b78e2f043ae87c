package dev.sluice.workflows.activities;

import dev.sluice.workflows.activities.UnitMessages.PlanPage;
import dev.sluice.workflows.activities.UnitMessages.PlanPageRequest;
import dev.sluice.workflows.activities.UnitMessages.PlanRequest;
import dev.sluice.workflows.activities.UnitMessages.SummaryRequest;
import dev.sluice.workflows.activities.UnitMessages.UnitOutcome;
import dev.sluice.workflows.activities.UnitMessages.UnitPlan;
import dev.sluice.workflows.activities.UnitMessages.UnitRecorded;
import dev.sluice.workflows.activities.UnitMessages.UnitsSummary;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The work-unit store beside a table ({@code <table>/_sluice/units/}, on a Hadoop {@code
 * FileSystem}), and the unit list that fills it (an HTTP endpoint or a file). Each unit has its own
 * state file, so units finishing at the same time never overwrite each other's state.
 */
@ActivityInterface
public interface UnitStoreActivities {

  /**
   * Reads the unit list (HTTP or file), drops duplicates (first occurrence wins), joins it with the
   * units' states and writes the plan of this run to {@code planUri}: failed units first, then
   * pending ones, then done ones whose partition committed this run's window (a re-run of the
   * window reads again what it owns), then (only with {@code rerunDone}) the other done ones least
   * recently run first; at most {@code maxUnitsPerRun}. Idempotent: a retry rewrites the same plan.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code MalformedData} when the list does not
   *     parse, its pointer or field is missing, or a value is empty; the HTTP failure types for the
   *     listing request; {@code InvalidPipeline} for a list URI no file system serves
   */
  @ActivityMethod
  UnitPlan plan(PlanRequest request);

  /** Planned units {@code [offset, offset + limit)} of a plan, in order. */
  @ActivityMethod
  PlanPage readPlan(PlanPageRequest request);

  /**
   * Stores one unit's outcome in its state file (overwriting: a retry writes the same state). An
   * outcome without a watermark keeps the unit's earlier one.
   */
  @ActivityMethod
  UnitRecorded record(UnitOutcome outcome);

  /**
   * Counts the listed units by state, reports this run's units and writes the full report beside
   * the plan.
   */
  @ActivityMethod
  UnitsSummary summarize(SummaryRequest request);
}
