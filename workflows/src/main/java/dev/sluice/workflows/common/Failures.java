package dev.sluice.workflows.common;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TimeoutFailure;

/**
 * What a failure says at its source: Temporal wraps an activity's or a child workflow's own failure
 * in {@code ActivityFailure} / {@code ChildWorkflowFailure}, whose messages name the wrapper, not
 * the problem. Workflows report the innermost failure's message and type, so a provider's or a
 * platform's words reach the user as they are.
 */
public final class Failures {
  private Failures() {}

  /** The innermost failure under activity and child-workflow wrappers. */
  public static Throwable root(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && (t instanceof ActivityFailure || t instanceof ChildWorkflowFailure)) {
      t = t.getCause();
    }
    return t;
  }

  /** Its message: an {@code ApplicationFailure}'s original message, without Temporal's prefix. */
  public static String rootMessage(Throwable e) {
    Throwable t = root(e);
    return t instanceof ApplicationFailure a ? a.getOriginalMessage() : t.getMessage();
  }

  /**
   * Runs {@code call}, an activity on a failure or clean-up path that must never throw over the
   * failure that brought the run there; returns the root message of the activity failure it ended
   * in, or null when it went. Not for calls whose failure is the run's outcome.
   */
  public static String problemOf(Runnable call) {
    try {
      call.run();
      return null;
    } catch (ActivityFailure e) {
      return rootMessage(e);
    }
  }

  /** Its type: an {@code ApplicationFailure}'s type, else the exception's simple class name. */
  public static String rootType(Throwable e) {
    Throwable t = root(e);
    return t instanceof ApplicationFailure a ? a.getType() : t.getClass().getSimpleName();
  }

  /**
   * The last attempt's own error under a call that ran out of time: a schedule-to-close timeout
   * wraps it in a {@link TimeoutFailure}; retries that stopped short of the deadline carry it
   * directly. A call whose attempts all timed out has no error but the timeout itself.
   */
  public static String lastAttemptError(ActivityFailure e) {
    Throwable t = e.getCause();
    while (t instanceof TimeoutFailure && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof TimeoutFailure timeout) {
      return "no answer (" + timeout.getTimeoutType() + ")";
    }
    return rootMessage(t);
  }

  /**
   * What a wait that timed out says of its last check, when that check got no answer before the
   * deadline: {@code "the last <check> got no answer before the deadline: <error>; "}; nothing
   * when {@code error} is null.
   *
   * @param check what the check is called ({@code status check}, {@code check})
   * @param error {@link #lastAttemptError} of the last check, or null when it was answered
   */
  public static String unansweredBeforeDeadline(String check, String error) {
    return error == null
        ? ""
        : "the last " + check + " got no answer before the deadline: " + error + "; ";
  }
}
