package dev.sluice.workflows.workunits;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Two-step ingestion with work units (DIL): lists the units, then runs one {@code
 * AsyncIngestWorkflow} child per unit ({@code ingest/<pipeline>/<date>/unit=<value>}), at most
 * {@code units.maxParallel} at once and at most {@code units.maxUnitsPerRun} in all, each filtered
 * by its value and landing in its own partition with its own watermark. Each unit's outcome is
 * stored as it finishes, so the next run retries failed units first, takes pending ones next, and
 * does not redo done ones. Continues as new every {@link #UNITS_PER_EXECUTION} units, so a list of
 * any length keeps each execution's history bounded.
 */
@WorkflowInterface
public interface WorkUnitsWorkflow {

  /**
   * Units one execution starts before it continues as new: each costs about eight history events
   * (child start and end, the record activity, workflow tasks), so an execution stays near 3,100.
   */
  int UNITS_PER_EXECUTION = 400;

  /** Units the result lists one by one; the report file beside the table lists them all. */
  int MAX_REPORTED = 200;

  /**
   * Runs the units this run takes.
   *
   * @return the summary: this run's units and the store's counts; a unit that fails is reported
   *     (and kept as failed), never thrown
   * @throws io.temporal.failure.ApplicationFailure when the list cannot be read ({@code
   *     MalformedData}, HTTP failure types, {@code InvalidPipeline}) or a unit's state cannot be
   *     stored
   */
  @WorkflowMethod
  WorkUnitsResult run(WorkUnitsInput input);

  /** Units listed, planned, started, succeeded, failed and running. */
  @QueryMethod
  WorkUnitsProgress progress();
}
