package dev.sluice.workflows.batchwindow;

import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.LakeTable;
import java.util.List;
import java.util.Map;

/**
 * Records in and out of the batch window's activities. They carry URIs, names and counts: never
 * rows, never secret values (a webhook's URL and headers travel as written, references unresolved).
 */
public final class WindowMessages {
  private WindowMessages() {}

  /**
   * @param runKey file-system-safe key of the window; staged file names derive from it
   * @param uris the window's files, in arrival order
   * @param format how to parse them, or null to go by each file's extension
   * @param table the table the files are staged for (schema, compression, file size)
   * @param stagingUri the window's staging directory
   */
  public record StageRequest(
      String runKey, List<String> uris, FormatSpec format, LakeTable table, String stagingUri) {}

  /**
   * @param rows rows staged
   * @param bytes bytes of Parquet staged
   * @param files staged file names (not paths), in order
   * @param sources each source file with the rows read from it, in input order
   */
  public record StageResult(long rows, long bytes, List<String> files, List<SourceFile> sources) {}

  /**
   * @param uri the source file
   * @param rows rows read from it
   * @param missing true when the file was gone by the time the window loaded (nothing read, no
   *     action applied to it)
   * @param version what identifies this content of the file (size and modification time, or an
   *     HTTP {@code ETag}), or null when the source says nothing that would
   * @param loadedBy the earlier window that already loaded this very version, so this one did not
   *     read it again; null when it was read now (or is missing)
   */
  public record SourceFile(
      String uri, long rows, boolean missing, String version, String loadedBy) {
    /** A file read now, or missing, of no known version. */
    public SourceFile(String uri, long rows, boolean missing) {
      this(uri, rows, missing, null, null);
    }
  }

  /**
   * @param table the table the window published to (the records are kept beside it)
   * @param windowId the window that loaded the files
   * @param files the window's source files: those read now with a version are recorded
   */
  public record LoadedRequest(LakeTable table, String windowId, List<SourceFile> files) {}

  /**
   * @param recorded files recorded as loaded
   */
  public record LoadedResult(int recorded) {}

  /**
   * @param uris files to act on
   * @param to move: the directory they move into; null for delete
   */
  public record FilesRequest(List<String> uris, String to) {}

  /**
   * @param done files deleted or moved by this call
   * @param alreadyDone files an earlier attempt had already deleted or moved (delete: every file
   *     already gone)
   * @param missing move: files found neither in their place nor in {@code to}
   */
  public record FilesResult(int done, int alreadyDone, int missing) {}

  /**
   * @param url the webhook's URL (secret references unresolved)
   * @param headers extra headers (secret references unresolved)
   * @param summary what is posted, as JSON
   */
  public record WebhookRequest(String url, Map<String, String> headers, WindowJournal summary) {}

  /**
   * @param httpStatus the answer's status
   */
  public record WebhookResult(int httpStatus) {}

  /**
   * @param uri where the journal is written ({@code <table>/_sluice/windows/<windowId>.json})
   * @param journal the window's journal
   */
  public record JournalRequest(String uri, WindowJournal journal) {}

  /**
   * @param uri where the journal was written
   */
  public record JournalResult(String uri) {}
}
