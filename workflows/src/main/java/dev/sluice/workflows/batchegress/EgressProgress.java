package dev.sluice.workflows.batchegress;

/**
 * Answer of the {@code progress} query.
 *
 * @param stage current stage
 * @param batchId the platform's batch ID, once created
 * @param filesUploaded files uploaded so far
 * @param filesTotal files to upload
 * @param bytes bytes uploaded so far
 * @param polls status checks so far
 * @param platformStatus the platform's last reported batch status
 */
public record EgressProgress(
    Stage stage,
    String batchId,
    int filesUploaded,
    int filesTotal,
    long bytes,
    int polls,
    String platformStatus) {

  /** Stages of a run, in order. */
  public enum Stage {
    CREATING,
    UPLOADING,
    COMPLETING,
    WAITING,
    ABORTING,
    DONE,
    FAILED
  }
}
