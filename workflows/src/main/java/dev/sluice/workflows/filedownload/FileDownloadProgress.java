package dev.sluice.workflows.filedownload;

/**
 * Answer of the {@code progress} query.
 *
 * @param stage current stage
 * @param listed files listed (0 while listing)
 * @param downloaded files landed so far
 * @param skipped files found already landed so far
 * @param failed files that did not land so far
 * @param bytes bytes landed so far
 */
public record FileDownloadProgress(
    Stage stage, long listed, long downloaded, long skipped, long failed, long bytes) {

  /** Stages of a run, in order. */
  public enum Stage {
    LISTING,
    DOWNLOADING,
    CLEANING_UP,
    DONE,
    FAILED
  }
}
