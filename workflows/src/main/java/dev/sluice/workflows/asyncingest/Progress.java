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
 */
public record Progress(
    Stage stage, String requestId, int polls, String providerState, long rows, long bytes) {

  /** Stages of a run, in order. */
  public enum Stage {
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
