package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.StatusResult;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.DurationText;
import dev.sluice.workflows.common.Failures;
import dev.sluice.workflows.common.Stubs;
import dev.sluice.workflows.common.Timers;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * Step 2 of an async ingest: the provider's job checked on durable timers until it is ready.
 * Workflow code.
 */
final class StatusPolling {
  private StatusPolling() {}

  /**
   * Polls on durable timers until ready and returns the ready answer; throws when the provider
   * fails or the wait times out.
   *
   * <p>The pipeline's timeout is the user's deadline, and no status check outlives it: each check,
   * its retries included, is given only the time left (see {@link
   * ActivityProfiles#shortCallWithin}). A check that runs out of that time without an answer is
   * not a failure of the run by itself: the loop waits as after any check, and once the deadline
   * has passed the run times out (abort, clean-up) naming the status endpoint's last error.
   */
  static StatusResult untilReady(AsyncRun run, WaitState start, StatusWait.Hooks hooks) {
    WaitState wait = start;
    int pollsThisRun = 0;
    String statusError = null;
    while (true) {
      ActivityOptions check =
          ActivityProfiles.statusCheckWithin(
              Duration.ofMillis(wait.deadlineMillis() - Workflow.currentTimeMillis()));
      StatusResult status = null;
      try {
        status =
            Stubs.summarized(
                    HttpJobActivities.class,
                    check,
                    "check job " + wait.requestId() + " at " + run.provider)
                .checkStatus(new StatusRequest(run.source, run.vars(wait)));
      } catch (ActivityFailure e) {
        // Out of time before the deadline is the wait's timeout; anything else (a non-retryable
        // error, or the check's own 15 minutes spent long before the deadline) fails the run.
        if (!ActivityProfiles.ranOutOfTimeLeft(check, e)) {
          throw e;
        }
        statusError = Failures.lastAttemptError(e);
      }
      pollsThisRun++;
      Duration sleep = wait.nextInterval();
      if (status != null) {
        statusError = null;
        wait = wait.afterPoll(status.state(), grow(sleep, run));
        hooks.onPoll().accept(wait);
        switch (status.outcome()) {
          case READY:
            return status;
          case FAILED:
            throw providerFailed(wait, status);
          default:
            break;
        }
      }
      long remaining = wait.deadlineMillis() - Workflow.currentTimeMillis();
      if (remaining <= 0) {
        throw hooks.timedOut().apply(statusError);
      }
      long pause = Math.min(sleep.toMillis(), remaining);
      hooks.nextCheckAt().accept(Workflow.currentTimeMillis() + pause);
      Timers.sleep(
          Duration.ofMillis(pause),
          "wait " + DurationText.of(Duration.ofMillis(pause)) + " before checking job "
              + wait.requestId() + " again");
      if (pollsThisRun >= AsyncIngestWorkflowImpl.MAX_POLLS_PER_RUN
          || Workflow.getInfo().isContinueAsNewSuggested()) {
        Workflow.continueAsNew(hooks.continuing().apply(wait));
      }
    }
  }

  /** The run's failure when the provider says its job failed: non-retryable, in its words. */
  static ApplicationFailure providerFailed(WaitState wait, StatusResult status) {
    return ApplicationFailure.newNonRetryableFailure(
        "provider job "
            + wait.requestId()
            + " failed (state '"
            + status.state()
            + "'): "
            + (status.errorMessage() == null ? "no error message given" : status.errorMessage()),
        FailureType.PROVIDER_JOB_FAILED.type());
  }

  static Duration grow(Duration interval, AsyncRun run) {
    long next = (long) (interval.toMillis() * run.source.status().backoff());
    return Duration.ofMillis(Math.min(next, run.source.status().maxInterval().toMillis()));
  }

  /**
   * Why the wait ended, once the job was aborted (or {@code problems} say why it could not be):
   * the provider's last state, and the status endpoint's last error when the last check could not
   * get an answer before the deadline.
   */
  static ApplicationFailure timedOut(
      AsyncRun run, WaitState wait, String statusError, List<String> problems) {
    String message =
        "provider job "
            + wait.requestId()
            + " was not ready within source.status.timeout ("
            + DurationText.of(run.source.status().timeout())
            + ")"
            + (wait.polls() == 0
                ? "; no status check was answered; "
                : " after "
                    + wait.polls()
                    + " status checks; last state '"
                    + wait.providerState()
                    + "'; ")
            + Failures.unansweredBeforeDeadline("status check", statusError)
            + (problems.isEmpty()
                ? (run.source.cleanup().abort() != null
                    ? "the job was aborted"
                    : "no abort request is defined (source.cleanup.abort)")
                : "clean-up failed: " + String.join("; ", problems));
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.WAIT_TIMEOUT.type());
  }
}
