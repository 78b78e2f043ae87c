package dev.sluice.workflows.filedownload;

import static dev.sluice.workflows.common.Failures.rootMessage;
import static dev.sluice.workflows.common.Failures.rootType;

import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadMessages.FileFailure;
import io.temporal.failure.ActivityFailure;
import java.util.ArrayList;
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

  /** The same state with the cursor at {@code next}. */
  FileDownloadState withNext(int next) {
    return new FileDownloadState(
        listingUri, listed, rangeSize, next, downloaded, skipped, bytes, failed, failures,
        executions);
  }

  /** The same state in its {@code executions}th execution. */
  FileDownloadState withExecutions(int executions) {
    return new FileDownloadState(
        listingUri, listed, rangeSize, next, downloaded, skipped, bytes, failed, failures,
        executions);
  }

  /** The counts with a finished range's added; its failures kept up to {@code keep} in all. */
  FileDownloadState plus(DownloadFilesResult r, int keep) {
    List<FileFailure> kept = new ArrayList<>(failures);
    for (FileFailure f : r.failures()) {
      if (kept.size() < keep) {
        kept.add(f);
      }
    }
    return new FileDownloadState(
        listingUri,
        listed,
        rangeSize,
        next,
        downloaded + r.downloaded(),
        skipped + r.skipped(),
        bytes + r.bytes(),
        failed + r.failures().size(),
        kept,
        executions);
  }

  /** A range whose activity failed for good: its files count as failed (some may have landed). */
  FileDownloadState plusFailedRange(int from, int to, ActivityFailure e, int keep) {
    List<FileFailure> kept = new ArrayList<>(failures);
    if (kept.size() < keep) {
      kept.add(
          new FileFailure(
              from,
              "files " + from + ".." + (to - 1),
              rootType(e),
              "the download of files "
                  + from
                  + ".."
                  + (to - 1)
                  + " failed: "
                  + rootMessage(e)
                  + " (files of the range that landed before are skipped by the next run)"));
    }
    return new FileDownloadState(
        listingUri,
        listed,
        rangeSize,
        next,
        downloaded,
        skipped,
        bytes,
        failed + (to - from),
        kept,
        executions);
  }

  /** Why the run failed when files did not land in {@code landing}: each kept failure, named. */
  String failureMessage(String landing) {
    StringBuilder b =
        new StringBuilder()
            .append(failed)
            .append(" of ")
            .append(listed)
            .append(" files did not land in ")
            .append(landing)
            .append(" (")
            .append(downloaded)
            .append(" downloaded, ")
            .append(skipped)
            .append(" already there); run again to fetch only those: ");
    List<String> each = new ArrayList<>();
    for (FileFailure f : failures) {
      each.add(f.message());
    }
    b.append(String.join("; ", each));
    if (failed > failures.size()) {
      b.append("; and ").append(failed - failures.size()).append(" more");
    }
    return b.toString();
  }
}
