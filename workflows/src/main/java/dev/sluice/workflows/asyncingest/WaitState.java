package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import java.time.Duration;
import java.util.Map;

/**
 * Everything the wait loop needs to carry across a continue-as-new.
 *
 * @param requestId the provider's request ID (never submitted twice)
 * @param watermark the watermark this run's submit used, or null
 * @param polls status checks so far
 * @param nextInterval the next wait between checks (after backoff)
 * @param deadlineMillis workflow time after which the wait times out
 * @param providerState the provider's last reported state
 * @param startedMillis workflow time when the run started (for timings)
 * @param submitMillis how long the submit stage took
 * @param windowed whether the run holds its window (window ranges): false in states recorded
 *     before window ranges existed
 * @param watermarkEnd the run's {@code ${watermarkEnd}}: a re-run's recorded upper bound, or the
 *     pipeline's {@code incremental.openEnd} for a new window; null when neither
 * @param replaced the range the window committed before this run (a re-run), or null (a new
 *     window)
 * @param submitValues the submit answer's {@code ${submit:/ptr}} values by pointer (IDs, never
 *     secrets), or null: none, or a state recorded before they existed
 */
public record WaitState(
    String requestId,
    String watermark,
    int polls,
    Duration nextInterval,
    long deadlineMillis,
    String providerState,
    long startedMillis,
    long submitMillis,
    boolean windowed,
    String watermarkEnd,
    WindowRange replaced,
    Map<String, String> submitValues) {

  WaitState afterPoll(String state, Duration next) {
    return afterChecks(state, 1, next);
  }

  /** After {@code checks} more status checks, the last of which answered {@code state}. */
  WaitState afterChecks(String state, int checks, Duration next) {
    return new WaitState(
        requestId,
        watermark,
        polls + checks,
        next,
        deadlineMillis,
        state,
        startedMillis,
        submitMillis,
        windowed,
        watermarkEnd,
        replaced,
        submitValues);
  }
}
