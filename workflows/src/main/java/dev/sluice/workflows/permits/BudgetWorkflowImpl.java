package dev.sluice.workflows.permits;

import dev.sluice.workflows.permits.PermitMessages.BudgetAnswer;
import dev.sluice.workflows.permits.PermitMessages.BudgetCharge;
import dev.sluice.workflows.permits.PermitMessages.BudgetState;
import dev.sluice.workflows.permits.PermitMessages.BytesUsed;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;

/**
 * See {@link BudgetWorkflow}. The handlers do all the work; the main loop only waits for the
 * history to grow and continues as new with the book (no timer: an idle budget adds no events).
 */
public final class BudgetWorkflowImpl implements BudgetWorkflow {
  /** Continue-as-new past this many events (a charge or a report adds a handful). */
  static final int MAX_EVENTS = 2_000;

  private final BudgetBook book;

  @WorkflowInit
  public BudgetWorkflowImpl(BudgetState state) {
    this.book = new BudgetBook(state);
  }

  @Override
  public void run(BudgetState state) {
    Workflow.await(
        () ->
            Workflow.getInfo().isContinueAsNewSuggested()
                || Workflow.getInfo().getHistoryLength() > MAX_EVENTS);
    Workflow.await(() -> Workflow.isEveryHandlerFinished());
    Workflow.continueAsNew(book.state());
  }

  @Override
  public BudgetAnswer charge(BudgetCharge charge) {
    return book.charge(charge);
  }

  @Override
  public void used(BytesUsed used) {
    book.used(used);
  }

  @Override
  public BudgetState state() {
    return book.state();
  }
}
