package dev.sluice.workflows.platformingest;

/**
 * Answer of the {@code progress} query.
 *
 * @param stage current stage
 * @param batchesTotal source batches this run reads
 * @param batchesRead source batches read so far
 * @param rows rows read so far
 * @param lastBatchStatus the dataset's latest batch's status while settling
 */
public record PlatformIngestProgress(
    Stage stage, int batchesTotal, int batchesRead, long rows, String lastBatchStatus) {

  /** Stages of a run, in order. */
  public enum Stage {
    SETTLING,
    LISTING,
    READING,
    DEFERRING,
    SENDING,
    PUBLISHING,
    CLEANING_UP,
    DONE,
    FAILED
  }
}
