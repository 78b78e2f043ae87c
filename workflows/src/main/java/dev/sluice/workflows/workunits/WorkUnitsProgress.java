package dev.sluice.workflows.workunits;

/**
 * Where a work-units run is.
 *
 * @param stage {@code LISTING}, {@code RUNNING}, {@code SUMMARIZING}, {@code DONE}
 * @param listed units in the list (0 until listed)
 * @param planned units this run takes
 * @param started units started so far, across continue-as-new
 * @param succeeded units that succeeded so far
 * @param failed units that failed so far
 * @param running units running now
 */
public record WorkUnitsProgress(
    Stage stage, int listed, int planned, int started, int succeeded, int failed, int running) {

  /** The stages of a work-units run. */
  public enum Stage {
    LISTING,
    RUNNING,
    SUMMARIZING,
    DONE
  }
}
