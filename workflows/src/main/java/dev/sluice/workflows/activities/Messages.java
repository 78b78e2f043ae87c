package dev.sluice.workflows.activities;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.pipeline.LakeTable;
import java.util.List;
import java.util.Map;

/**
 * Records in and out of every activity. They carry IDs, URIs, cursors, counts and secret
 * references: never secret values, never rows.
 */
public final class Messages {
  private Messages() {}

  /**
   * @param runKey file-system-safe key of the run ({@link RunKeys#of})
   * @param source the source definition (secret references only)
   * @param vars template variables: {@code watermark}, {@code logicalDate}, {@code runId}, {@code
   *     pipeline}
   * @param receiptUri where the submit receipt of this run is kept
   */
  public record SubmitRequest(
      String runKey, AsyncHttpSource source, Map<String, String> vars, String receiptUri) {}

  /**
   * @param requestId the provider's request ID
   * @param reused true when a receipt from an earlier attempt was found and no request was sent
   * @param values the submit answer's values the source refers to as {@code ${submit:/ptr}}, by
   *     pointer (null: none, or recorded before such values existed)
   */
  public record SubmitResult(String requestId, boolean reused, Map<String, String> values) {
    public SubmitResult(String requestId, boolean reused) {
      this(requestId, reused, null);
    }
  }

  /**
   * @param receiptUri the run's submit receipt ({@link RunKeys#receipt}), as the submit was given
   */
  public record ReceiptRequest(String receiptUri) {}

  /**
   * What a run's submit receipt says: the job the provider accepted for the run.
   *
   * @param requestId the provider's request ID; null when there is no receipt
   * @param values the submit answer's {@code ${submit:/ptr}} values by pointer, as {@link
   *     SubmitResult#values()}; null when none
   */
  public record ReceiptResult(String requestId, Map<String, String> values) {}

  /**
   * @param vars template variables, including {@code requestId}
   */
  public record StatusRequest(AsyncHttpSource source, Map<String, String> vars) {}

  /**
   * @param state the provider's raw status value
   * @param outcome classification of {@code state}
   * @param errorMessage the provider's own error message when failed (may be null)
   * @param resultRows the ready result's row count at {@code split.rowsPointer}, or null (not
   *     asked for, not in the answer, or not ready)
   * @param resultBytes the ready result's size at {@code split.bytesPointer}, or null (the same)
   */
  public record StatusResult(
      String state, Outcome outcome, String errorMessage, Long resultRows, Long resultBytes) {}

  /** Classification of a provider status. */
  public enum Outcome {
    PENDING,
    READY,
    FAILED
  }

  /**
   * @param runKey file-system-safe key of the run; staged file names derive from it
   * @param source the source definition
   * @param vars template variables, including {@code requestId}
   * @param sink the Parquet sink (schema, compression, file size)
   * @param stagingUri directory the files are written to
   * @param watermarkColumn column whose maximum is reported, or null
   * @param watermarkFrom rows whose watermark is at or below this are dropped (they belong to an
   *     earlier window), or null
   * @param watermarkTo rows whose watermark is above this are dropped (they belong to a later
   *     window), or null for a new window, which owns everything after {@code watermarkFrom}
   */
  public record ExtractRequest(
      String runKey,
      AsyncHttpSource source,
      Map<String, String> vars,
      LakeTable sink,
      String stagingUri,
      String watermarkColumn,
      String watermarkFrom,
      String watermarkTo) {

    /** An extract that keeps every row (as before window ranges existed). */
    public ExtractRequest(
        String runKey,
        AsyncHttpSource source,
        Map<String, String> vars,
        LakeTable sink,
        String stagingUri,
        String watermarkColumn) {
      this(runKey, source, vars, sink, stagingUri, watermarkColumn, null, null);
    }
  }

  /**
   * @param rows rows written
   * @param bytes bytes of Parquet written
   * @param files staged file names (not paths), in order
   * @param pages pages fetched
   * @param maxWatermark highest value of the watermark column written, or null
   * @param droppedRows rows the provider sent outside the window's watermark range, not written
   */
  public record ExtractResult(
      long rows, long bytes, List<String> files, int pages, String maxWatermark, long droppedRows) {

    /** A result with nothing dropped. */
    public ExtractResult(long rows, long bytes, List<String> files, int pages, String maxWatermark) {
      this(rows, bytes, files, pages, maxWatermark, 0);
    }
  }

  /**
   * @param vars template variables, including {@code requestId}
   */
  public record CleanupRequest(AsyncHttpSource source, Map<String, String> vars) {}

  /**
   * @param sent whether a request was sent (false when the source defines none)
   * @param httpStatus the provider's HTTP status, or 0
   */
  public record CleanupResult(boolean sent, int httpStatus) {}

  public record WatermarkRequest(LakeTable sink) {}

  /**
   * @param watermark highest published value, or null when the table has none yet
   */
  public record WatermarkResult(String watermark) {}

  /**
   * @param runKey file-system-safe key of the run
   * @param sink the sink (path and mode)
   * @param stagingUri directory holding the staged files
   * @param files staged file names to publish
   * @param watermarkColumn watermark column, or null
   * @param newWatermark watermark to store after the files are published, or null to keep
   * @param defer the deferral rule, or null; when set, the deferred table is replaced by the rows
   *     {@link ParquetSinkActivities#applyDeferral} staged and expired rows are moved to the
   *     expired table, after the files are published
   * @param commit the window's range to record as the commit marker, and the leases to release
   *     after it; null in requests recorded before window ranges existed
   * @param rows rows in {@code files}, for the window record
   */
  public record PublishRequest(
      String runKey,
      LakeTable sink,
      String stagingUri,
      List<String> files,
      String watermarkColumn,
      String newWatermark,
      DeferralSpec defer,
      WindowMessages.WindowCommit commit,
      long rows) {

    /** A publish without deferral or window record (as before window ranges existed). */
    public PublishRequest(
        String runKey,
        LakeTable sink,
        String stagingUri,
        List<String> files,
        String watermarkColumn,
        String newWatermark) {
      this(runKey, sink, stagingUri, files, watermarkColumn, newWatermark, null, null, 0);
    }
  }

  /**
   * @param runKey file-system-safe key of the run
   * @param sink the table
   * @param stagingUri the run's staging directory, holding {@code files}
   * @param files this run's staged files (as extracted)
   * @param defer the deferral rule
   * @param nowMillis the run's "now" (workflow time): when rows deferred by this run were deferred,
   *     and what retention is measured against
   */
  public record DeferralRequest(
      String runKey,
      LakeTable sink,
      String stagingUri,
      List<String> files,
      DeferralSpec defer,
      long nowMillis) {}

  /**
   * @param stagingUri the directory holding the files to publish (under the run's staging)
   * @param files the files to publish: this run's complete rows and released deferred rows
   * @param rows rows in {@code files}
   * @param bytes bytes of {@code files}
   * @param deferred rows deferred after this run (the new deferred table)
   * @param released rows deferred by earlier runs that land in this one
   * @param superseded deferred rows replaced by a newer row with the same key
   * @param expired deferred rows past retention, moved to the expired table and reported
   */
  public record DeferralResult(
      String stagingUri,
      List<String> files,
      long rows,
      long bytes,
      long deferred,
      long released,
      long superseded,
      long expired) {}

  /**
   * @param tableUri the table directory
   * @param files published file URIs
   * @param bytes total bytes published
   */
  public record PublishResult(String tableUri, List<String> files, long bytes) {}

  public record DiscardRequest(LakeTable sink, String stagingUri) {}

  public record DiscardResult(boolean existed) {}
}
