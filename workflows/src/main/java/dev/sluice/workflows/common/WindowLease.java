package dev.sluice.workflows.common;

import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowResult;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest;
import java.time.Duration;

/**
 * One run's hold on its window (see {@link WindowClaims}): whether the run keeps window ranges,
 * and whether it holds the window's lease now, so that clean-up knows whether the staging is its
 * own to discard and the lease its own to release. Workflow state: one per run.
 */
public final class WindowLease {
  private boolean windowed;
  private boolean held;

  /** Whether this run keeps window ranges (its history has the {@code window-ranges} version). */
  public boolean windowed() {
    return windowed;
  }

  /**
   * Sets whether this run keeps window ranges; a run continued as new that does holds its
   * window already ({@code held}).
   */
  public void windowed(boolean windowed, boolean held) {
    this.windowed = windowed;
    this.held = held;
  }

  /** Whether this run holds the window's lease now. */
  public boolean held() {
    return held;
  }

  /** Claims the window and its table's head; see {@link WindowClaims#open}. */
  public OpenWindowResult open(OpenWindowRequest request, Duration timeout, String timeoutName) {
    OpenWindowResult opened = WindowClaims.open(request, timeout, timeoutName);
    held = true;
    return opened;
  }

  /**
   * Whether the run's staging is its own to discard: not when the run keeps ranges but was
   * refused the window (the staging then belongs to the run that holds it).
   */
  public boolean ownsStaging() {
    return !windowed || held;
  }

  /** The publish released the window with its commit. */
  public void committed() {
    held = false;
  }

  /** The lease is not this run's (it was refused the window): nothing to release. */
  public void refused() {
    held = false;
  }

  /**
   * Releases the lease if this run holds it; returns a problem to report, or null. Never throws.
   */
  public String release(ReleaseWindowRequest request) {
    if (!held) {
      return null;
    }
    held = false;
    return WindowClaims.release(request);
  }
}
