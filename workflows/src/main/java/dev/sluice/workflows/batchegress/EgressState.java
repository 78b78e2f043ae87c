package dev.sluice.workflows.batchegress;

import java.time.Duration;
import java.util.List;

/**
 * Everything the status loop needs to carry across a continue-as-new: the batch is never created,
 * filled or completed again.
 *
 * @param batchId the platform's batch ID
 * @param files file names uploaded into it
 * @param bytes bytes uploaded
 * @param polls status checks so far
 * @param nextInterval the next wait between checks (after backoff)
 * @param deadlineMillis workflow time after which the wait times out
 * @param platformStatus the platform's last reported status
 * @param createMillis how long creating took
 * @param uploadMillis how long uploading took
 * @param completeMillis how long completing took
 * @param completedAtMillis workflow time when the batch was marked complete
 */
public record EgressState(
    String batchId,
    List<String> files,
    long bytes,
    int polls,
    Duration nextInterval,
    long deadlineMillis,
    String platformStatus,
    long createMillis,
    long uploadMillis,
    long completeMillis,
    long completedAtMillis) {

  EgressState afterPoll(String status, Duration next) {
    return new EgressState(
        batchId,
        files,
        bytes,
        polls + 1,
        next,
        deadlineMillis,
        status,
        createMillis,
        uploadMillis,
        completeMillis,
        completedAtMillis);
  }
}
