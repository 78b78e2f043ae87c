package dev.sluice.workflows.filedownload;

import dev.sluice.pipeline.FilesSource;
import java.util.List;
import java.util.Map;

/**
 * Inputs and results of {@link FileListingActivities} and {@link FileDownloadActivities}: URIs,
 * indexes and counts only. The staging list itself stays in the lake, never in history.
 */
public final class FileDownloadMessages {
  private FileDownloadMessages() {}

  /**
   * Step 1: list the source's files into the staging list.
   *
   * @param source the pipeline's source (templates and secret references unresolved)
   * @param listingUri where the staging list is written ({@code <path>/_sluice/listings/<run
   *     key>.jsonl}); a retry overwrites it
   * @param vars template variables of the run ({@code pipeline}, {@code logicalDate}, {@code
   *     windowStart}, {@code windowEnd}, {@code runId})
   */
  public record ListFilesRequest(FilesSource source, String listingUri, Map<String, String> vars) {}

  /**
   * @param listingUri the staging list written
   * @param files entries listed (indexes {@code 0 .. files-1})
   * @param bytes the sum of the sizes the source gave (files without a size count 0)
   * @param pages listing pages read (1 for a file-system prefix)
   */
  public record ListFilesResult(String listingUri, int files, long bytes, int pages) {}

  /**
   * Step 2: download the listed files {@code from} (inclusive) to {@code to} (exclusive), in turn.
   *
   * @param source the pipeline's source (for the auth of HTTP downloads)
   * @param listingUri the staging list
   * @param from first index
   * @param to one past the last index
   * @param landingUri the sink's directory
   * @param incomingUri the run's directory of partly written files ({@code
   *     <path>/_sluice/incoming/<run key>}); a file there is named after its index, so a retry
   *     overwrites the part an earlier attempt left
   * @param vars template variables (for metrics tags; the listing URL is not rendered again)
   */
  public record DownloadFilesRequest(
      FilesSource source,
      String listingUri,
      int from,
      int to,
      String landingUri,
      String incomingUri,
      Map<String, String> vars) {}

  /**
   * @param downloaded files landed by this call
   * @param skipped files already landed with the same size and modification time (or checksum)
   * @param bytes bytes landed
   * @param failures files that could not be landed (the others of the range were)
   */
  public record DownloadFilesResult(
      int downloaded, int skipped, long bytes, List<FileFailure> failures) {}

  /**
   * A listed file that did not land.
   *
   * @param index its index in the staging list
   * @param name the name it would have landed under
   * @param type a failure type ({@link FailureType} or {@code FailureType})
   * @param message what went wrong, naming the file (and for a mismatch, expected and actual)
   */
  public record FileFailure(int index, String name, String type, String message) {}

  /**
   * @param incomingUri the run's directory of partly written files, deleted with its content
   */
  public record DiscardIncomingRequest(String incomingUri) {}

  /**
   * @param existed whether there was anything to delete
   */
  public record DiscardIncomingResult(boolean existed) {}
}
