package dev.sluice.workflows.common;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;

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
}
