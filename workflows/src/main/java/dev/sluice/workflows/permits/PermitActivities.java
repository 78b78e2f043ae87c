package dev.sluice.workflows.permits;

import dev.sluice.workflows.permits.PermitMessages.BudgetAnswer;
import dev.sluice.workflows.permits.PermitMessages.BudgetCharge;
import dev.sluice.workflows.permits.PermitMessages.ClosedHolders;
import dev.sluice.workflows.permits.PermitMessages.HolderCheck;
import dev.sluice.workflows.permits.PermitMessages.PermitAnswer;
import dev.sluice.workflows.permits.PermitMessages.PermitRequest;
import io.temporal.activity.ActivityInterface;

/**
 * Calls on the Temporal service that workflow code cannot make itself: update-with-start of a
 * key's {@link PermitsWorkflow} or {@link BudgetWorkflow} (whoever asks first starts it), and
 * describing run chains.
 */
@ActivityInterface
public interface PermitActivities {
  /**
   * Sends {@link PermitsWorkflow#acquire} to the key's permits workflow, starting it on this
   * activity's task queue when it does not run.
   *
   * @return the permits workflow's answer
   */
  PermitAnswer requestPermit(PermitRequest request);

  /**
   * Sends {@link BudgetWorkflow#charge} to the key's budget workflow, starting it on this
   * activity's task queue when it does not run.
   *
   * @return the budget workflow's answer
   */
  BudgetAnswer chargeBudget(BudgetCharge charge);

  /**
   * Which of the holders' run chains have closed: the latest execution of the workflow ID is not
   * running, there is none, or it belongs to another chain (another first run ID).
   */
  ClosedHolders closedHolders(HolderCheck check);
}
