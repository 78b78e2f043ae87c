package dev.sluice.workflows.fileingest;

/**
 * Where a file ingest is.
 *
 * @param stage the current stage
 * @param uri the source file
 * @param rows rows staged (known once staging finished)
 */
public record FileIngestProgress(Stage stage, String uri, long rows) {

  /** The stages of one file ingest, in order; {@code FAILED} instead of {@code DONE}. */
  public enum Stage {
    STAGING,
    PUBLISHING,
    CLEANING_UP,
    DONE,
    FAILED
  }
}
