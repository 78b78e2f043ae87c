package dev.sluice.workflows.filedownload;

/**
 * Failure types of the file download pattern, beside the shared {@code FailureTypes} ({@code
 * HttpTransient}, {@code HttpClientError}, {@code AuthFailed}, {@code InvalidPipeline}…).
 */
public final class FileDownloadFailures {
  private FileDownloadFailures() {}

  /**
   * A downloaded file's size or checksum differed from the listing's, twice in a row (a first
   * mismatch is downloaded again at once): the message names the file, expected and actual.
   */
  public static final String CHECKSUM_MISMATCH = "ChecksumMismatch";

  /** A listed file is gone from the source (HTTP 404/410, or no such file under the prefix). */
  public static final String FILE_NOT_FOUND = "SourceFileMissing";

  /**
   * The run's outcome when some listed files did not land (raised by the workflow, non-retryable):
   * every other file landed, and a re-run downloads only the missing ones.
   */
  public static final String FILES_FAILED = "FilesFailed";
}
