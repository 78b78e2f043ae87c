package dev.sluice.workflows.asyncingest;

/**
 * Answer of the {@code progress} query.
 *
 * @param stage current stage
 * @param requestId the provider's request ID, once known
 * @param polls status checks so far
 * @param providerState the provider's last reported state
 * @param rows rows written (known once extract completes)
 * @param bytes bytes written (known once extract completes)
 * @param waitingFor while waiting for a budget or a permit, what for (null otherwise)
 */
public record Progress(
    Stage stage,
    String requestId,
    int polls,
    String providerState,
    long rows,
    long bytes,
    String waitingFor) {

  /** Stages of a run, in order. */
  public enum Stage {
    /** Waiting for the next UTC day: the source's daily budget is spent. */
    WAITING_FOR_BUDGET,
    /** Waiting in line for a permit of the source's {@code concurrency} key. */
    WAITING_FOR_PERMIT,
    SUBMITTING,
    WAITING,
    EXTRACTING,
    DEFERRING,
    SENDING,
    PUBLISHING,
    CLEANING_UP,
    DONE,
    FAILED
  }
}
