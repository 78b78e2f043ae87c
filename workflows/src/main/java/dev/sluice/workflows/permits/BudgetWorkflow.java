package dev.sluice.workflows.permits;

import dev.sluice.workflows.permits.PermitMessages.BudgetAnswer;
import dev.sluice.workflows.permits.PermitMessages.BudgetCharge;
import dev.sluice.workflows.permits.PermitMessages.BudgetState;
import dev.sluice.workflows.permits.PermitMessages.BytesUsed;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The daily budget of one {@code budget} key, shared by every pipeline and worker: one long-lived
 * workflow per key ({@link LimitKeys#budget}), started by the first {@code charge} (update-with-start,
 * from an activity), counting per UTC day the jobs admitted and the bytes they extracted, and
 * continuing as new with the current and the previous day.
 */
@WorkflowInterface
public interface BudgetWorkflow {
  /** Runs until terminated, continuing as new with the current and the previous day. */
  @WorkflowMethod
  void run(BudgetState state);

  /**
   * Admits one job on {@code charge.day()} when the day has room: fewer jobs than the smallest
   * {@code maxJobsPerDay} stated that day, and fewer bytes than the smallest {@code
   * maxBytesPerDay}. Idempotent: a run admitted already is admitted again without counting twice.
   */
  @UpdateMethod
  BudgetAnswer charge(BudgetCharge charge);

  /** Adds what an admitted run extracted to the day it was admitted; nothing for another run. */
  @SignalMethod
  void used(BytesUsed used);

  /** The days counted. */
  @QueryMethod
  BudgetState state();
}
