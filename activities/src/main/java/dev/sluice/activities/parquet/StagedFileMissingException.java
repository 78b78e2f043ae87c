package dev.sluice.activities.parquet;

import org.apache.hadoop.fs.Path;

/**
 * A file to publish is neither in staging nor in the table: the staging was discarded or altered
 * after the extract. Retrying the publish cannot help; the run must extract again.
 */
public class StagedFileMissingException extends IllegalStateException {
  /** The {@code ApplicationFailure} type the publish activity reports it as (not retryable). */
  public static final String FAILURE_TYPE =
      dev.sluice.workflows.activities.FailureType.STAGED_FILE_MISSING.type();

  StagedFileMissingException(Path staged, Path target) {
    super(
        "cannot publish "
            + staged.getName()
            + ": it is neither staged at "
            + staged
            + " nor published at "
            + target
            + "; the staging was discarded, extract again");
  }

  /**
   * @param message what is missing, where, and that the run must extract again
   */
  public StagedFileMissingException(String message) {
    super(message);
  }
}
