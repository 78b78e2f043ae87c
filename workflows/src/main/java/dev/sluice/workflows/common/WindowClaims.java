package dev.sluice.workflows.common;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowResult;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Workflow side of window ownership (see {@link ParquetSinkActivities#openWindow}): every workflow
 * that lands a window in a table claims it here before reading and releases it here when it fails;
 * a successful publish releases it with its commit.
 */
public final class WindowClaims {
  private static final Logger log = Workflow.getLogger(WindowClaims.class);

  /** How long a new window waits between asks while another new window holds the table's head. */
  public static final Duration HEAD_RETRY = Duration.ofSeconds(5);

  private WindowClaims() {}

  /**
   * Claims the window (and, for a new incremental window, the table's head), waiting on a durable
   * timer while another new window holds the head, at most {@code timeout} ({@code timeoutName}
   * names the setting in the failure).
   *
   * @throws ApplicationFailure {@code WindowBusy} when the head stayed held past {@code timeout};
   *     the activity's own failures (another run holds the window; a window without a range)
   */
  public static OpenWindowResult open(
      OpenWindowRequest request, Duration timeout, String timeoutName) {
    long deadline = Workflow.currentTimeMillis() + timeout.toMillis();
    while (true) {
      OpenWindowResult opened =
          sink("claim window " + request.window() + " of " + request.table().path())
              .openWindow(request);
      if (opened.busyWith() == null) {
        return opened;
      }
      if (Workflow.currentTimeMillis() >= deadline) {
        throw ApplicationFailure.newNonRetryableFailure(
            "window "
                + request.window()
                + " waited "
                + timeoutName
                + " ("
                + timeout
                + ") for the table's newest range, held all that time by "
                + opened.busyWith()
                + "; nothing was read",
            FailureType.WINDOW_BUSY.type());
      }
      log.info("window {} waits for {} to publish first", request.window(), opened.busyWith());
      Timers.sleep(
          HEAD_RETRY,
          "wait for " + opened.busyWith() + " to publish before window " + request.window());
    }
  }

  /**
   * Claims a window that does not read after the table's watermark (no watermark column, so no
   * head to wait for): the window's own lease alone.
   *
   * @throws ApplicationFailure {@code WindowBusy} (non-retryable) when another running workflow
   *     holds the window, naming it
   */
  public static OpenWindowResult claim(OpenWindowRequest request) {
    if (request.watermarkColumn() != null) {
      throw new IllegalArgumentException("an incremental window claims the head too: use open");
    }
    return sink("claim window " + request.window() + " of " + request.table().path())
        .openWindow(request);
  }

  /**
   * Releases what {@code request.holder()} holds; returns a problem to report, or null. Never
   * throws: it runs on failure paths, and a lease left behind is taken over by the next run.
   */
  public static String release(ReleaseWindowRequest request) {
    String problem =
        Failures.problemOf(
            () -> sink("release window of " + request.table().path()).releaseWindow(request));
    return problem == null
        ? null
        : "releasing the window failed (the next run takes it over): " + problem;
  }

  private static ParquetSinkActivities sink(String summary) {
    return Stubs.summarized(ParquetSinkActivities.class, ActivityProfiles.SINK_CALL, summary);
  }
}
