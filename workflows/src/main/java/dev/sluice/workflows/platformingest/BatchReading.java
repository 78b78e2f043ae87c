package dev.sluice.workflows.platformingest;

import static dev.sluice.workflows.common.Failures.rootMessage;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.PlatformSourceActivities;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.SourceBatch;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.InFlight;
import dev.sluice.workflows.common.Stubs;
import dev.sluice.workflows.platformingest.BatchListing.Listing;
import dev.sluice.workflows.platformingest.PlatformIngestResult.ReadBatch;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Step 3 of a platform ingest: the listed batches read into staging. Workflow code. */
final class BatchReading {
  private BatchReading() {}

  /**
   * Reads the batches: one at a time in created order ({@code ordered}, a failure stops the line),
   * or up to {@code maxParallel} at once ({@code parallel}, a new read starting as one ends).
   */
  static Reading read(
      PlatformRun run, List<SourceBatch> batches, Consumer<ExtractBatchResult> onRead) {
    Map<String, ExtractBatchResult> done = new java.util.HashMap<>();
    int limit = run.source.parallel() ? Math.max(1, run.source.maxParallel()) : 1;
    InFlight<SourceBatch, ExtractBatchResult> inFlight = new InFlight<>();
    // The earliest batch that could not be read: no read starts after it.
    Failed[] failed = {null};
    InFlight.Ended<SourceBatch, ExtractBatchResult> ended =
        new InFlight.Ended<>() {
          @Override
          public void succeeded(SourceBatch batch, ExtractBatchResult r) {
            done.put(batch.batchId(), r);
            onRead.accept(r);
          }

          @Override
          public void failed(SourceBatch batch, ActivityFailure e) {
            if (failed[0] == null || batch.created() < failed[0].batch().created()) {
              failed[0] = new Failed(batch, e);
            }
          }
        };
    int next = 0;
    while (next < batches.size() || !inFlight.isEmpty()) {
      while (failed[0] == null && next < batches.size() && inFlight.size() < limit) {
        SourceBatch batch = batches.get(next++);
        PlatformSourceActivities reader =
            Stubs.summarized(
                PlatformSourceActivities.class,
                ActivityProfiles.LONG_TRANSFER,
                "read batch " + batch.batchId() + " of dataset " + run.source.datasetId());
        inFlight.add(
            batch,
            Async.function(
                reader::extractBatch,
                new ExtractBatchRequest(
                    run.key, run.source, batch.batchId(), run.table, run.staging)));
      }
      if (inFlight.isEmpty()) {
        break;
      }
      // A failed read stops the line instead of failing the run.
      inFlight.awaitAny(ended);
    }
    return new Reading(done, failed[0]);
  }

  static ApplicationFailure sourceBatchFailed(
      Reading reading, List<ReadBatch> published, String watermark) {
    Failed f = reading.failure();
    long publishedRows = published.stream().mapToLong(ReadBatch::rows).sum();
    return ApplicationFailure.newNonRetryableFailureWithCause(
        "source batch "
            + f.batch().batchId()
            + " could not be read: "
            + rootMessage(f.cause())
            + "; "
            + (published.isEmpty()
                ? "nothing was published"
                : published.size()
                    + " batches before it were published ("
                    + publishedRows
                    + " rows) and the watermark stands at "
                    + watermark)
            + "; the next run starts from the watermark",
        FailureType.SOURCE_BATCH_FAILED.type(),
        f.cause());
  }

  /**
   * What the publish covers: the batches read in created order up to the first that was not (a
   * batch read after one that failed is read again by the next run, which starts from the
   * watermark, so nothing lands twice), skipped batches passed over.
   */
  static Covered covered(Listing listing, Reading reading) {
    List<ReadBatch> published = new ArrayList<>();
    List<String> files = new ArrayList<>();
    SourceBatch last = null;
    for (SourceBatch batch : listing.batches()) {
      if (listing.skipped().contains(batch.batchId())) {
        last = batch;
        continue;
      }
      ExtractBatchResult done = reading.done().get(batch.batchId());
      if (done == null) {
        break;
      }
      published.add(
          new ReadBatch(batch.batchId(), batch.created(), done.rows(), done.sourceFiles()));
      files.addAll(done.files());
      last = batch;
    }
    return new Covered(published, files, last);
  }

  /**
   * @param published the batches the publish lands
   * @param files their staged files
   * @param last the last batch the watermark passes (read or skipped), or null
   */
  record Covered(List<ReadBatch> published, List<String> files, SourceBatch last) {}

  record Failed(SourceBatch batch, ActivityFailure cause) {}

  record Reading(Map<String, ExtractBatchResult> done, Failed failure) {}
}
