package dev.sluice.workflows.batchwindow;

import java.util.List;

/**
 * What happened to one window, kept beside the destination table as {@code
 * <table>/_sluice/windows/<windowId>.json}, returned by the window workflow and posted to webhooks.
 *
 * @param windowId {@code <route>-<opened, yyyyMMdd'T'HHmmss.SSS'Z'>}: names the journal, the staged
 *     files and the platform batch's label
 * @param route the route's name
 * @param outcome {@link #LOADED}, {@link #LOADED_ACTIONS_FAILED} or {@link #FAILED}
 * @param openedAt when the window opened (its first file arrived, or a previous window handed its
 *     late files on), ISO-8601 UTC
 * @param closedAt when it stopped taking files
 * @param finishedAt when its load and actions ended
 * @param files the window's files, each once, in arrival order
 * @param load the load, or null when it failed
 * @param actions the deferred actions run, with their outcomes, in order
 * @param error why the load failed, or null
 */
public record WindowJournal(
    String windowId,
    String route,
    String outcome,
    String openedAt,
    String closedAt,
    String finishedAt,
    List<String> files,
    Load load,
    List<ActionOutcome> actions,
    String error) {
  /** Loaded, and every deferred action succeeded. */
  public static final String LOADED = "LOADED";

  /** Loaded, but at least one deferred action failed after its retries. */
  public static final String LOADED_ACTIONS_FAILED = "LOADED_ACTIONS_FAILED";

  /** The load failed: nothing was published; the failure action ran. */
  public static final String FAILED = "FAILED";

  public WindowJournal {
    files = files == null ? List.of() : List.copyOf(files);
    actions = actions == null ? List.of() : List.copyOf(actions);
  }

  /**
   * @param rows rows published
   * @param bytes bytes of Parquet published
   * @param tableUri the table
   * @param dataFiles the published Parquet files
   * @param batchId the platform batch the rows were sent as, or null for a Parquet sink
   * @param missing files that were gone when the window loaded (not loaded, not acted on)
   * @param alreadyLoaded files an earlier window had loaded in the same version (not read again,
   *     acted on)
   */
  public record Load(
      long rows,
      long bytes,
      String tableUri,
      List<String> dataFiles,
      String batchId,
      List<String> missing,
      List<String> alreadyLoaded) {
    public Load {
      dataFiles = dataFiles == null ? List.of() : List.copyOf(dataFiles);
      missing = missing == null ? List.of() : List.copyOf(missing);
      alreadyLoaded = alreadyLoaded == null ? List.of() : List.copyOf(alreadyLoaded);
    }
  }

  /**
   * @param type {@code delete}, {@code move} or {@code webhook}
   * @param target what it acted on: the move's directory, the webhook's URL (as written), or {@code
   *     the source files}
   * @param ok whether it succeeded
   * @param detail counts ({@code 3 files}), the webhook's status, or the failure message
   */
  public record ActionOutcome(String type, String target, boolean ok, String detail) {}
}
