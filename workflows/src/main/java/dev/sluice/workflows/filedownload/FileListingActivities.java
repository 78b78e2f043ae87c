package dev.sluice.workflows.filedownload;

import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Step 1 of a file download: lists the files a source offers, from an HTTP listing endpoint (JSON
 * pages) or under a Hadoop {@code FileSystem} prefix, into a staging list beside the lake.
 */
@ActivityInterface
public interface FileListingActivities {

  /**
   * Lists every file of the source and writes one JSON line per file (index, name, location, size,
   * checksum, modification time) to {@code request.listingUri()}, replacing what a failed attempt
   * wrote. Names are checked before anything is written: each must be a relative path without
   * {@code .} or {@code ..} segments, not under {@code _sluice/}, and unique in the listing.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code InvalidPipeline} (non-retryable) for an
   *     unusable name, a duplicate name, an entry without a URL or a page that is not the JSON the
   *     source describes; {@code HttpClientError} / {@code AuthFailed} (non-retryable) and {@code
   *     HttpTransient} (retried) as for every HTTP call; {@code SourceFileMissing} (non-retryable)
   *     when the prefix does not exist
   */
  @ActivityMethod
  ListFilesResult listSourceFiles(ListFilesRequest request);
}
