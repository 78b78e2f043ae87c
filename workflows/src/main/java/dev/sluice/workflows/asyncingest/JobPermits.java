package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.permits.LimitKeys;
import dev.sluice.pipeline.BudgetSpec;
import dev.sluice.pipeline.ConcurrencySpec;
import dev.sluice.workflows.asyncingest.Progress.Stage;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.StageTracker;
import dev.sluice.workflows.common.Stubs;
import dev.sluice.workflows.permits.Budgets;
import dev.sluice.workflows.permits.PermitActivities;
import dev.sluice.workflows.permits.PermitMessages.BudgetAnswer;
import dev.sluice.workflows.permits.PermitMessages.BudgetCharge;
import dev.sluice.workflows.permits.PermitMessages.BytesUsed;
import dev.sluice.workflows.permits.PermitMessages.PermitAnswer;
import dev.sluice.workflows.permits.PermitMessages.PermitGrant;
import dev.sluice.workflows.permits.PermitMessages.PermitRequest;
import dev.sluice.workflows.permits.PermitsWorkflow;
import dev.sluice.workflows.permits.BudgetWorkflow;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One run's side of its source's {@code budget} and {@code concurrency}: before the submit it is
 * admitted by the day's budget (waiting for the next UTC day, or failing, when it is spent) and then
 * takes a running-job permit (waiting in line when none is free); once the provider job is
 * finished (ready, failed, or aborted or deleted by clean-up) the permit goes back, and after the
 * extract its bytes are counted. A source with neither adds no command. Workflow state: one per
 * run.
 */
final class JobPermits {
  /**
   * While waiting in line the run asks again this often: the request is idempotent, so it only
   * matters when the permits workflow lost the run's place (it was reset or terminated by hand).
   */
  static final Duration ASK_AGAIN = Duration.ofMinutes(10);

  /** Grants received ({@link PermitHolder#permitGranted}), possibly before this run asked. */
  private final Set<PermitGrant> grants = new HashSet<>();

  private AsyncRun run;
  private StageTracker<Stage> stage;

  /** Whether this run may hold a permit, so clean-up gives it back. */
  private boolean holding;

  /** What the run waits for, while it waits; shown in its progress and details. */
  private String waitingFor;

  /**
   * Starts tracking {@code run}; {@code submitted}: a run continued as new after its submit holds
   * the permit its chain took.
   */
  void start(AsyncRun run, StageTracker<Stage> stage, boolean submitted) {
    this.run = run;
    this.stage = stage;
    this.holding = submitted && run.source.concurrency() != null;
  }

  /** Records a grant (the signal may arrive before the request's answer). */
  void granted(PermitGrant grant) {
    grants.add(grant);
  }

  /** What the run waits for now, or null. */
  String waitingFor() {
    return waitingFor;
  }

  /**
   * Before the submit: the budget admits the run, then a permit is taken; each may wait.
   *
   * @throws ApplicationFailure {@code BudgetExceeded} when the day's budget is spent and the
   *     pipeline says {@code onExceeded: fail}
   */
  void acquire() {
    BudgetSpec budget = run.source.budget();
    if (budget != null) {
      chargeBudget(budget);
    }
    ConcurrencySpec concurrency = run.source.concurrency();
    if (concurrency != null) {
      takePermit(concurrency);
    }
  }

  private void chargeBudget(BudgetSpec budget) {
    while (true) {
      long now = Workflow.currentTimeMillis();
      BudgetAnswer answer =
          activities("ask budget " + budget.key())
              .chargeBudget(
                  new BudgetCharge(
                      budget.key(),
                      Budgets.day(now),
                      run.holder(),
                      budget.maxJobsPerDay() == null ? 0 : budget.maxJobsPerDay(),
                      budget.maxBytes()));
      if (answer.admitted()) {
        break;
      }
      String spent = Budgets.spent(budget.key(), answer);
      if (budget.fails()) {
        throw ApplicationFailure.newNonRetryableFailure(spent, Budgets.EXCEEDED);
      }
      waitingFor = spent + "; waiting for the next UTC day";
      stage.enter(Stage.WAITING_FOR_BUDGET);
      Workflow.sleep(Budgets.untilNextDay(now));
    }
    resume();
  }

  private void takePermit(ConcurrencySpec concurrency) {
    holding = true;
    PermitGrant mine = new PermitGrant(concurrency.key(), run.holder());
    PermitRequest request =
        new PermitRequest(concurrency.key(), concurrency.maxRunningJobs(), run.holder(), run.id);
    while (true) {
      PermitAnswer answer =
          activities("ask permit " + concurrency.key()).requestPermit(request);
      if (answer.granted() || grants.contains(mine)) {
        break;
      }
      waitingFor =
          "permit "
              + concurrency.key()
              + " ("
              + answer.running()
              + " of "
              + answer.limit()
              + " running, number "
              + answer.position()
              + " in line)";
      stage.enter(Stage.WAITING_FOR_PERMIT);
      if (Workflow.await(ASK_AGAIN, () -> grants.contains(mine))) {
        break;
      }
    }
    resume();
  }

  /** Back to submitting after a wait. */
  private void resume() {
    if (waitingFor != null) {
      waitingFor = null;
      stage.enter(Stage.SUBMITTING);
    }
  }

  /** The provider job is ready: its permit goes back, and the next in line may submit. */
  void jobFinished() {
    String problem = release();
    if (problem != null) {
      Workflow.getLogger(JobPermits.class).warn(problem);
    }
  }

  /**
   * In clean-up, after the abort or delete (the job is finished, or never was): the permit, or the
   * place in line, goes back; adds to {@code problems} when that failed. Never throws.
   */
  void cleanUp(List<String> problems) {
    String problem = release();
    if (problem != null) {
      problems.add(problem);
    }
  }

  /** Gives the permit back; returns a problem to report, or null. */
  private String release() {
    if (!holding) {
      return null;
    }
    holding = false;
    String key = run.source.concurrency().key();
    try {
      Workflow.newUntypedExternalWorkflowStub(LimitKeys.permits(key))
          .signal("release", run.holder());
      return null;
    } catch (SignalExternalWorkflowException e) {
      // The permits workflow is gone (terminated by hand): nothing holds the permit any more.
      return "permit " + key + " not released: " + e.getMessage();
    }
  }

  /** After the extract: counts its bytes on the day the budget admitted the run. */
  void extracted(long bytes) {
    BudgetSpec budget = run.source.budget();
    if (budget == null) {
      return;
    }
    try {
      Workflow.newUntypedExternalWorkflowStub(LimitKeys.budget(budget.key()))
          .signal("used", new BytesUsed(run.holder(), bytes));
    } catch (SignalExternalWorkflowException e) {
      // Not worth failing a run whose data is extracted: the budget undercounts once.
      Workflow.getLogger(JobPermits.class).warn("bytes not counted: {}", e.getMessage());
    }
  }

  private PermitActivities activities(String summary) {
    return Stubs.summarized(PermitActivities.class, ActivityProfiles.SHORT_CALL, summary);
  }
}
