package dev.sluice.workflows.batchegress;

import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.PlatformMessages.BatchStatusResult;
import dev.sluice.workflows.activities.PlatformMessages.PlatformError;
import dev.sluice.workflows.common.DurationText;
import dev.sluice.workflows.common.Failures;
import io.temporal.failure.ApplicationFailure;
import java.util.List;

/** How a batch egress says that its batch failed or was not final in time. Workflow code. */
final class BatchFailures {
  private BatchFailures() {}

  /** The platform's errors, codes and descriptions exactly as it reported them. */
  static ApplicationFailure failed(String batchId, BatchStatusResult status) {
    List<PlatformError> errors = status.errors() == null ? List.of() : status.errors();
    StringBuilder message =
        new StringBuilder("platform batch ")
            .append(batchId)
            .append(" failed (status '")
            .append(status.status())
            .append("'): ");
    if (errors.isEmpty()) {
      message.append("the platform reported no errors");
    }
    for (int i = 0; i < errors.size(); i++) {
      PlatformError error = errors.get(i);
      message
          .append(i == 0 ? "" : "; ")
          .append("[")
          .append(error.code())
          .append("] ")
          .append(error.description());
    }
    return ApplicationFailure.newNonRetryableFailure(
        message.toString(), FailureType.PLATFORM_BATCH_FAILED.type(), errors);
  }

  /**
   * The wait's timeout, once the batch was aborted.
   *
   * @param statusError the status endpoint's last error when the last check got no answer before
   *     the deadline, or null
   * @param problems why the abort failed; empty when it was sent
   */
  static ApplicationFailure timedOut(
      String batchId,
      PlatformBatchSink sink,
      EgressState state,
      String statusError,
      List<String> problems) {
    String message =
        "platform batch "
            + batchId
            + " was not final within sink.timeout ("
            + DurationText.of(sink.timeout())
            + ") after "
            + state.polls()
            + " status checks; last status '"
            + state.platformStatus()
            + "'; "
            + Failures.unansweredBeforeDeadline("status check", statusError)
            + (problems.isEmpty()
                ? "the batch was aborted"
                : "abort failed: " + String.join("; ", problems));
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.WAIT_TIMEOUT.type());
  }
}
