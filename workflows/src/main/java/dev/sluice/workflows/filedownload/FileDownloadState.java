package dev.sluice.workflows.filedownload;

import dev.sluice.workflows.filedownload.FileDownloadMessages.FileFailure;
import java.util.List;

/**
 * What a run carries from one execution to the next (continue-as-new): the staging list, the cursor
 * and the counts so far.
 *
 * @param listingUri the staging list step 1 wrote
 * @param listed files in it
 * @param rangeSize files per download activity, fixed once per run
 * @param next the first index not yet handed to a download
 * @param downloaded files landed so far
 * @param skipped files found already landed so far
 * @param bytes bytes landed so far
 * @param failed files that did not land so far
 * @param failures the first {@value FileDownloadWorkflowImpl#KEPT_FAILURES} of them
 * @param executions executions of this run so far, this one included
 */
public record FileDownloadState(
    String listingUri,
    int listed,
    int rangeSize,
    int next,
    long downloaded,
    long skipped,
    long bytes,
    long failed,
    List<FileFailure> failures,
    int executions) {

  public FileDownloadState {
    failures = failures == null ? List.of() : List.copyOf(failures);
  }
}
