package dev.sluice.activities.download;

import dev.sluice.workflows.filedownload.FileDownloadMessages.FileFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * A download activity's heartbeat: the next listed file it has not finished, and what it did
 * before. A retried attempt continues from {@code next}.
 *
 * @param next index of the first file not yet landed, skipped or failed
 * @param downloaded files landed so far
 * @param skipped files found already landed so far
 * @param bytes bytes landed so far
 * @param failures files that did not land so far
 */
public record RangeCheckpoint(
    int next, int downloaded, int skipped, long bytes, List<FileFailure> failures) {

  public RangeCheckpoint {
    failures = failures == null ? List.of() : List.copyOf(failures);
  }

  RangeCheckpoint landed(long size) {
    return new RangeCheckpoint(next + 1, downloaded + 1, skipped, bytes + size, failures);
  }

  RangeCheckpoint skippedOne() {
    return new RangeCheckpoint(next + 1, downloaded, skipped + 1, bytes, failures);
  }

  RangeCheckpoint failed(FileFailure failure) {
    List<FileFailure> all = new ArrayList<>(failures);
    all.add(failure);
    return new RangeCheckpoint(next + 1, downloaded, skipped, bytes, all);
  }
}
