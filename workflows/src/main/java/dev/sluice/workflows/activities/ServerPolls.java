package dev.sluice.workflows.activities;

import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.StatusResult;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;

/**
 * Server-side polling ({@code source.status.polling: server}, the infrequent-polling pattern): one
 * {@link HttpJobActivities#checkUntilFinal} activity whose attempts the Temporal server retries at
 * the pipeline's interval while the job is pending, so a waiting job costs no workflow task, timer
 * or history event per check. Each pending attempt fails with {@link #PENDING_TYPE}; its failure
 * carries the provider's state and the checks so far ({@link Pending}), which the server keeps as
 * the pending activity's last failure (the Web UI and {@code sluice status} show it).
 */
public final class ServerPolls {
  private ServerPolls() {}

  /**
   * The failure type of a check that found the job still pending: retried (it is in no {@code
   * doNotRetry} list), and never the run's outcome on its own.
   */
  public static final String PENDING_TYPE = "JobPending";

  /**
   * A final answer of the provider (ready or failed) and the checks it took.
   *
   * @param status the provider's answer
   * @param checks status checks made by this activity, this one included
   */
  public record Final(StatusResult status, int checks) {}

  /**
   * What a pending check leaves in its failure's details.
   *
   * @param state the provider's state
   * @param checks status checks made by this activity so far, this one included
   */
  public record Pending(String state, int checks) {}

  /**
   * The answer of one attempt: {@code status} when it is final, else a retryable {@link
   * #PENDING_TYPE} failure naming the state, with {@code retryAfter} as the next retry's delay
   * when the provider asked for one. Activity code.
   *
   * @param status this attempt's classified answer
   * @param requestId the provider job, for the message
   * @param retryAfter the delay the provider's {@code Retry-After} asks for, or null
   */
  public static Final settle(StatusResult status, String requestId, Duration retryAfter) {
    // Attempts count from 1 (the SDK's test activity environment says 0 for the only one).
    int checks = Math.max(1, Activity.getExecutionContext().getInfo().getAttempt());
    if (status.outcome() != Outcome.PENDING) {
      return new Final(status, checks);
    }
    ApplicationFailure.Builder pending =
        ApplicationFailure.newBuilder()
            .setMessage(
                "provider job "
                    + requestId
                    + " is still '"
                    + status.state()
                    + "' after "
                    + checks
                    + (checks == 1 ? " status check" : " status checks"))
            .setType(PENDING_TYPE)
            // Benign: the SDK neither logs it as an activity failure nor counts it in its metrics.
            .setCategory(ApplicationErrorCategory.BENIGN)
            .setDetails(new Pending(status.state(), checks));
    if (retryAfter != null) {
      pending.setNextRetryDelay(retryAfter);
    }
    throw pending.build();
  }
}
