package dev.sluice.sandbox.platform;

import java.time.Duration;

/**
 * Run-time rules for completed batches: how long they stay {@code processing}, and forced failures.
 */
final class Processing {

  /**
   * Polls of {@code GET /catalog/batches/{id}} until the outcome shows; the first poll sees {@code
   * processing}.
   */
  static final int DEFAULT_POLLS = 2;

  /** A failure forced on batches completed while it is set. */
  record ForcedFailure(String status, BatchError error) {}

  private volatile int pollsBeforeFinal = DEFAULT_POLLS;
  private volatile Duration minimumTime = Duration.ZERO;
  private volatile ForcedFailure forcedFailure;

  void reset() {
    pollsBeforeFinal = DEFAULT_POLLS;
    minimumTime = Duration.ZERO;
    forcedFailure = null;
  }

  int pollsBeforeFinal() {
    return pollsBeforeFinal;
  }

  void pollsBeforeFinal(int polls) {
    if (polls < 0) {
      throw new IllegalArgumentException("pollsBeforeFinal must be >= 0, got " + polls);
    }
    pollsBeforeFinal = polls;
  }

  Duration minimumTime() {
    return minimumTime;
  }

  void minimumTime(Duration time) {
    if (time.isNegative()) {
      throw new IllegalArgumentException("processing time must not be negative, got " + time);
    }
    minimumTime = time;
  }

  ForcedFailure forcedFailure() {
    return forcedFailure;
  }

  void forcedFailure(ForcedFailure failure) {
    if (failure != null
        && !failure.status().equals("failure")
        && !failure.status().equals("failed")) {
      throw new IllegalArgumentException(
          "a forced failure ends 'failure' or 'failed', got " + failure.status());
    }
    forcedFailure = failure;
  }
}
