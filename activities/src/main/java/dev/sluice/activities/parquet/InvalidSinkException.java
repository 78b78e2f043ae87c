package dev.sluice.activities.parquet;

/**
 * The Parquet sink definition is invalid (unknown type, compression or size). A retry cannot fix
 * it: callers report it as {@code FailureType.INVALID_PIPELINE.type()}.
 */
public class InvalidSinkException extends IllegalArgumentException {
  /**
   * @param message what is wrong and where, in the pipeline file's own terms
   */
  public InvalidSinkException(String message) {
    super(message);
  }
}
