package dev.sluice.workflows.filedownload;

import dev.sluice.workflows.filedownload.FileDownloadMessages.DiscardIncomingRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DiscardIncomingResult;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Step 2 of a file download: copies listed files from their source (HTTP, or a Hadoop {@code
 * FileSystem}) into the lake, byte for byte.
 */
@ActivityInterface
public interface FileDownloadActivities {

  /**
   * Lands the listed files of one index range in turn. Each file is streamed (never held in memory)
   * to a part file under {@code incomingUri}, its size and checksum verified where the listing
   * gives them, then renamed to {@code <landingUri>/<name>} (an atomic rename on {@code file:} and
   * {@code hdfs:}; a copy that appears whole on object stores), then its manifest is written under
   * {@code <landingUri>/_sluice/landed/}. A file whose manifest records the same size and
   * modification time (or, lacking a time, the same checksum) and which is still there is skipped.
   * A size or checksum mismatch is downloaded again once at once; a second mismatch, a missing file
   * or a 4xx is reported in the result and the range goes on. Heartbeats its position after each
   * file and every few seconds while bytes flow; a retried attempt continues from the last file it
   * had not finished, whose part file it overwrites.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code HttpTransient} (retried) for 5xx, 408,
   *     429, an I/O error or a connection dropped mid-file; {@code AuthFailed} (non-retryable)
   */
  @ActivityMethod
  DownloadFilesResult downloadListedFiles(DownloadFilesRequest request);

  /** Deletes the run's directory of part files, after the last download or a cancel. */
  @ActivityMethod
  DiscardIncomingResult discardIncomingFiles(DiscardIncomingRequest request);
}
