package dev.sluice.workflows.activities;

import dev.sluice.pipeline.LakeTable;

/**
 * Paths derived from a run's workflow ID, so a retried or re-run step writes to the same place and
 * overwrites instead of duplicating.
 */
public final class RunKeys {
  private RunKeys() {}

  /**
   * A file-system-safe form of a workflow ID: Hadoop paths allow neither {@code :} nor {@code /} in
   * a name. {@code ingest/contacts/2026-11-22T00:00:00Z} → {@code
   * ingest_contacts_2026-11-22T00-00-00Z}.
   */
  public static String of(String workflowId) {
    StringBuilder b = new StringBuilder(workflowId.length());
    for (char c : workflowId.toCharArray()) {
      if (c == ':') {
        b.append('-');
      } else if (Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_') {
        b.append(c);
      } else {
        b.append('_');
      }
    }
    return b.toString();
  }

  /** The table's private directory, ignored by readers (leading underscore). */
  public static String stateDir(LakeTable sink) {
    return sink.stateDir();
  }

  /** Where a run stages its files before publishing. */
  public static String staging(LakeTable sink, String runKey) {
    return sink.stagingDir(runKey);
  }

  /**
   * Where a run's submit receipt (the provider's request ID) is kept. Keyed by the Temporal run
   * too: a later run of the same window submits a job of its own instead of finding the receipt of
   * a job that was deleted after the earlier run.
   */
  public static String receipt(LakeTable sink, String runKey, String temporalRunId) {
    return stateDir(sink) + "/jobs/" + runKey + "/" + temporalRunId + ".json";
  }

  /**
   * Where the platform batch a window was sent as is recorded, so a later run of the same window
   * sends its batch with the platform's {@code replay} block instead of adding a duplicate.
   */
  public static String sentBatch(LakeTable sink, String runKey) {
    return stateDir(sink) + "/batches/" + runKey + ".json";
  }

  /**
   * The range record a committed window of the table owns ({@code WindowMessages.WindowRange}),
   * written last by its publish: its commit marker.
   */
  public static String windowRange(LakeTable sink, String windowKey) {
    return stateDir(sink) + "/windows/" + windowKey + ".json";
  }

  /** Where {@code ParquetSinkActivities.applyDeferral} stages a run's split rows. */
  public static String deferralStaging(String stagingUri) {
    return trimSlash(stagingUri) + "/_deferral";
  }

  private static String trimSlash(String p) {
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
