package dev.sluice.workflows.asyncingest;

import dev.sluice.pipeline.StatusSpec;
import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.StatusResult;
import dev.sluice.workflows.activities.ServerPolls;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.DurationText;
import dev.sluice.workflows.common.Stubs;
import dev.sluice.workflows.common.Timers;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Step 2 of an async ingest with {@code status.polling: server}: one status activity that the
 * Temporal server retries at the pipeline's pacing while the job is pending ({@link ServerPolls}),
 * so the workflow sleeps without a timer, a workflow task or history events per check. Workflow
 * code.
 *
 * <p>The wait's deadline is the activity's schedule-to-close timeout: the server starts no check
 * after it. The last check so made may fall up to one interval before the deadline; the wait then
 * goes on as {@link StatusPolling} (a timer to the deadline and one last check there), so both
 * modes time out alike, with the same message, abort and clean-up. A FAILED answer fails the run
 * at once (non-retryable); a cancellation cancels the activity between two checks.
 */
final class ServerPolling {
  private ServerPolling() {}

  /** See {@link StatusPolling#untilReady}: the same contract, paced by the server. */
  static StatusResult untilReady(AsyncRun run, WaitState start, StatusWait.Hooks hooks) {
    WaitState wait = start;
    StatusSpec spec = run.source.status();
    Duration left = Duration.ofMillis(wait.deadlineMillis() - Workflow.currentTimeMillis());
    if (left.compareTo(ActivityProfiles.MIN_BOUNDED_CALL) > 0) {
      hooks.nextCheckAt().accept(0); // the server paces the checks: no next-check time to show
      try {
        ServerPolls.Final answer =
            Stubs.summarized(
                    HttpJobActivities.class,
                    ActivityProfiles.serverPolling(
                        wait.nextInterval(), spec.backoff(), spec.maxInterval(), left),
                    "check job " + wait.requestId() + " at " + run.provider + " until final")
                .checkUntilFinal(new StatusRequest(run.source, run.vars(wait)));
        wait = checked(wait, answer.status().state(), answer.checks(), run);
        hooks.onPoll().accept(wait);
        if (answer.status().outcome() == Outcome.FAILED) {
          throw StatusPolling.providerFailed(wait, answer.status());
        }
        return answer.status();
      } catch (ActivityFailure e) {
        if (e.getRetryState() != RetryState.RETRY_STATE_TIMEOUT) {
          throw e;
        }
        ServerPolls.Pending last = lastPending(e);
        if (last != null) {
          wait = checked(wait, last.state(), last.checks(), run);
          hooks.onPoll().accept(wait);
        }
      }
      long remaining = wait.deadlineMillis() - Workflow.currentTimeMillis();
      if (remaining > 0) {
        long pause = Math.min(wait.nextInterval().toMillis(), remaining);
        hooks.nextCheckAt().accept(Workflow.currentTimeMillis() + pause);
        Timers.sleep(
            Duration.ofMillis(pause),
            "wait " + DurationText.of(Duration.ofMillis(pause)) + " before the last check of job "
                + wait.requestId());
      }
    }
    return StatusPolling.untilReady(run, wait, hooks);
  }

  /** {@code wait} after {@code checks} more checks, the last of which answered {@code state}. */
  private static WaitState checked(WaitState wait, String state, int checks, AsyncRun run) {
    Duration next = wait.nextInterval();
    for (int i = 0; i < checks && next.compareTo(run.source.status().maxInterval()) < 0; i++) {
      next = StatusPolling.grow(next, run);
    }
    return wait.afterChecks(state, checks, next);
  }

  /** What the last pending check left in its failure, or null (no check was answered). */
  private static ServerPolls.Pending lastPending(ActivityFailure e) {
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure a && ServerPolls.PENDING_TYPE.equals(a.getType())) {
        return a.getDetails().get(ServerPolls.Pending.class);
      }
    }
    return null;
  }
}
