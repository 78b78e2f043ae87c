package dev.sluice.workflows.asyncingest;

import java.time.Duration;

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
 */
public record WaitState(
    String requestId,
    String watermark,
    int polls,
    Duration nextInterval,
    long deadlineMillis,
    String providerState,
    long startedMillis,
    long submitMillis) {

  WaitState afterPoll(String state, Duration next) {
    return new WaitState(
        requestId, watermark, polls + 1, next, deadlineMillis, state, startedMillis, submitMillis);
  }
}
