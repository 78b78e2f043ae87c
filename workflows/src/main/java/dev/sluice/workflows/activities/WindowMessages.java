package dev.sluice.workflows.activities;

import dev.sluice.pipeline.LakeTable;

/**
 * Records in and out of the window activities of {@link ParquetSinkActivities}: which run holds a
 * window, and the watermark range each committed window owns. See {@code
 * docs/concepts/state-beside-the-table.md}.
 */
public final class WindowMessages {
  private WindowMessages() {}

  /**
   * The run holding a window: its workflow ID and the first run ID of its chain (stable across
   * retries and continue-as-new).
   */
  public record Holder(String workflowId, String firstRunId) {}

  /**
   * @param table the table the window lands in
   * @param windowKey the window's file-system-safe key ({@link RunKeys#of} of its window ID)
   * @param window the window's logical date, for messages and the record
   * @param holder the run asking
   * @param watermarkColumn the watermark column of an incremental pipeline, or null: only an
   *     incremental window that never committed claims the table's head (the range after the
   *     table's watermark)
   */
  public record OpenWindowRequest(
      LakeTable table, String windowKey, String window, Holder holder, String watermarkColumn) {}

  /**
   * The watermark range a committed window owns, as recorded at its commit point.
   *
   * @param window the window's logical date
   * @param column the watermark column, or null for a pipeline that is not incremental
   * @param from the watermark its first run's submit saw (exclusive), or null
   * @param to the highest watermark it published (inclusive); equal to {@code from} when the window
   *     was empty
   * @param rows rows it published
   * @param files files it published
   * @param workflowId the workflow that committed it last
   * @param runId the Temporal run that committed it last
   * @param committedAt when (ISO-8601)
   */
  public record WindowRange(
      String window,
      String column,
      String from,
      String to,
      long rows,
      int files,
      String workflowId,
      String runId,
      String committedAt) {}

  /**
   * @param committed the range the window committed earlier, or null for a new window
   * @param tableWatermark the table's watermark, or null when it has none
   * @param headHeld whether the run now holds the table's head (a new incremental window)
   * @param busyWith when not null, another run holds the table's head and nothing was claimed: who,
   *     in words; the caller waits and asks again
   */
  public record OpenWindowResult(
      WindowRange committed, String tableWatermark, boolean headHeld, String busyWith) {}

  /**
   * What a publish commits about its window. The window record is written last, as the commit
   * marker: a publish retried after it finds its own run there and only finishes cleaning up.
   *
   * @param windowKey the window's key
   * @param window the window's logical date
   * @param holder the run committing (its leases are released after the commit)
   * @param runId the Temporal run committing
   * @param column the watermark column, or null
   * @param from the range's lower bound (exclusive), or null
   * @param to the range's upper bound (inclusive), or null
   */
  public record WindowCommit(
      String windowKey,
      String window,
      Holder holder,
      String runId,
      String column,
      String from,
      String to) {}

  /**
   * @param table the table
   * @param column the watermark column (or label) whose ranges count
   */
  public record FirstWindowRequest(LakeTable table, String column) {}

  /**
   * @param first the committed window whose range starts earliest, or null when none has
   */
  public record FirstWindowResult(WindowRange first) {}

  /**
   * @param table the table
   * @param windowKey the window's key
   * @param holder the run releasing; leases held by another run are left alone
   */
  public record ReleaseWindowRequest(LakeTable table, String windowKey, Holder holder) {}

  /**
   * @param released how many leases (window, head) were released
   */
  public record ReleaseWindowResult(int released) {}
}
