package dev.sluice.workflows.workunits;

import dev.sluice.pipeline.PipelineSpec;

/**
 * Input of {@link WorkUnitsWorkflow}.
 *
 * @param pipeline the validated pipeline, with its {@code units} block
 * @param logicalDate the window this run covers; null for a run a Schedule starts (it then takes
 *     the time it was scheduled for, or its start time)
 * @param upsertStage whether the namespace has the Sluice search attributes registered (children
 *     then carry them)
 * @param resumed where the run was when it continued as new; null on a fresh run
 */
public record WorkUnitsInput(
    PipelineSpec pipeline, String logicalDate, boolean upsertStage, UnitsCursor resumed) {

  /** A fresh run. */
  public static WorkUnitsInput of(PipelineSpec pipeline, String logicalDate, boolean upsertStage) {
    return new WorkUnitsInput(pipeline, logicalDate, upsertStage, null);
  }

  /**
   * What a run carries over a continue-as-new: the plan and how far through it the run is. Only
   * counts and a URI: the units themselves stay in the plan file.
   *
   * @param logicalDate the resolved logical date
   * @param planUri the plan file
   * @param listed units listed at planning
   * @param planned units planned
   * @param next index of the next planned unit to start
   * @param succeeded units of this run that succeeded so far
   * @param failed units of this run that failed so far
   * @param rows rows published by this run's units so far
   */
  public record UnitsCursor(
      String logicalDate,
      String planUri,
      int listed,
      int planned,
      int next,
      int succeeded,
      int failed,
      long rows) {

    /** The cursor with {@code next} as the next unit to start. */
    UnitsCursor withNext(int next) {
      return new UnitsCursor(logicalDate, planUri, listed, planned, next, succeeded, failed, rows);
    }

    /** The cursor after one more unit succeeded, publishing {@code unitRows}. */
    UnitsCursor afterSuccess(long unitRows) {
      return new UnitsCursor(
          logicalDate, planUri, listed, planned, next, succeeded + 1, failed, rows + unitRows);
    }

    /** The cursor after one more unit failed. */
    UnitsCursor afterFailure() {
      return new UnitsCursor(
          logicalDate, planUri, listed, planned, next, succeeded, failed + 1, rows);
    }
  }
}
