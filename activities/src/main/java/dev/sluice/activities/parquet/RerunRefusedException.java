package dev.sluice.activities.parquet;

import dev.sluice.workflows.activities.FailureType;

/**
 * A re-run a table format cannot carry out exactly: it could not tell the rows it replaces from
 * other runs' rows, so it would lose or duplicate some. Nothing was changed; the message says why
 * and what to do. Not retryable ({@link FailureType#WINDOW_WITHOUT_RANGE}).
 */
public final class RerunRefusedException extends RuntimeException {

  public RerunRefusedException(String message) {
    super(message);
  }
}
