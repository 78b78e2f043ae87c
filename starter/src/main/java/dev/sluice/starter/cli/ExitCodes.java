package dev.sluice.starter.cli;

/** Exit codes of every {@code sluice} command. */
public final class ExitCodes {
  private ExitCodes() {}

  /** Done; for {@code run --wait}, the run succeeded. */
  public static final int OK = 0;

  /** The pipeline run failed or was cancelled. */
  public static final int RUN_FAILED = 1;

  /** Bad usage or an invalid pipeline file: nothing was started. */
  public static final int INVALID_INPUT = 2;

  /**
   * Temporal (or a platform, or the store holding a table's state) could not be reached or
   * refused, or the workflow does not exist.
   */
  public static final int UNAVAILABLE = 3;
}
