package dev.sluice.workflows.platformingest;

import static dev.sluice.workflows.platformingest.PlatformIngestWorkflowImpl.WATERMARK_LABEL;

import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.PlatformSourceActivities;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.SourceBatch;
import dev.sluice.workflows.activities.WindowMessages.FirstWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.Landing;
import dev.sluice.workflows.common.Stubs;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * Step 2 of a platform ingest: where reading starts, and which of the dataset's batches this run
 * reads. Workflow code.
 */
final class BatchListing {
  private static final Logger log = Workflow.getLogger(BatchListing.class);

  private BatchListing() {}

  /** Where reading starts: the stored watermark, or the window's start. */
  static Cursor startingPoint(PlatformRun run, boolean replay) {
    Cursor windowStart = run.windowStartCursor();
    if (replay || run.source.snapshot()) {
      return windowStart;
    }
    String stored = Landing.readWatermark(run.table);
    return stored == null ? windowStart : Cursor.parse(stored);
  }

  /**
   * Where the batches windows own begin: the start of the table's earliest committed range (the
   * watermark, when no record says otherwise). An older window reads only batches created before
   * it, which no window has read.
   */
  static Cursor firstOwned(PlatformRun run, Cursor watermark) {
    WindowRange first =
        Stubs.summarized(
                ParquetSinkActivities.class,
                ActivityProfiles.SINK_CALL,
                "find where the windows of " + run.table.path() + " begin")
            .firstWindow(new FirstWindowRequest(run.table, WATERMARK_LABEL))
            .first();
    return first == null ? watermark : Cursor.parse(first.from());
  }

  /**
   * The batches this run reads, in created order, created before {@code before}. Incremental:
   * every batch after {@code from}, at most {@code maxBatchesPerRun}, stopping before the first one
   * that is not final; a re-run of a committed window ({@code upTo} not null) lists on past that
   * limit until it has every batch up to {@code upTo}, since it replaces the window's files and must
   * not drop batches it owns (the limit may have been lowered since), and so does an older window
   * ({@code whole}), which no later run would read the rest of. Snapshot: the latest successful
   * batch of the window alone.
   */
  static Listing list(PlatformRun run, Cursor from, Cursor upTo, long before, boolean whole) {
    PlatformSourceActivities catalog =
        Stubs.summarized(
            PlatformSourceActivities.class,
            ActivityProfiles.SHORT_CALL,
            "list the batches of dataset " + run.source.datasetId());
    if (run.source.snapshot()) {
      SourceBatch latest = null;
      Cursor at = from;
      while (true) {
        ListBatchesResult page =
            catalog.listBatches(
                new ListBatchesRequest(
                    run.source, at.created(), at.batchId(), before, run.source.pageSize()));
        for (SourceBatch b : page.batches()) {
          if (b.outcome() == Outcome.READY) {
            latest = b;
          }
        }
        if (!page.more() || page.batches().isEmpty()) {
          break;
        }
        at = Cursor.of(page.batches().get(page.batches().size() - 1));
      }
      List<SourceBatch> one = latest == null ? List.of() : List.of(latest);
      return new Listing(one, one, List.of(), false, null);
    }
    ListBatchesResult found =
        catalog.listBatches(
            new ListBatchesRequest(
                run.source, from.created(), from.batchId(), before, run.source.maxBatchesPerRun()));
    List<SourceBatch> listed = new ArrayList<>(found.batches());
    // Added after window ranges were recorded: a re-run's listing used to stop at the limit.
    if ((whole || upTo != null)
        && Workflow.getVersion("rerun-lists-whole-range", Workflow.DEFAULT_VERSION, 1) >= 1) {
      while (found.more()
          && !found.batches().isEmpty()
          && (upTo == null || !upTo.before(found.batches().get(found.batches().size() - 1)))) {
        Cursor at = Cursor.of(found.batches().get(found.batches().size() - 1));
        found =
            catalog.listBatches(
                new ListBatchesRequest(
                    run.source, at.created(), at.batchId(), before, run.source.maxBatchesPerRun()));
        listed.addAll(found.batches());
      }
    }
    List<SourceBatch> batches = new ArrayList<>();
    List<SourceBatch> toRead = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    SourceBatch pending = null;
    for (SourceBatch b : listed) {
      if (b.outcome() == Outcome.PENDING) {
        // Reading past it would move the watermark beyond a batch that may still succeed.
        pending = b;
        break;
      }
      batches.add(b);
      if (b.outcome() == Outcome.FAILED) {
        skipped.add(b.batchId());
      } else {
        toRead.add(b);
      }
    }
    if (pending != null) {
      log.info(
          "batch {} of dataset {} is still '{}': this run stops before it",
          pending.batchId(),
          run.source.datasetId(),
          pending.status());
    }
    return new Listing(batches, toRead, skipped, found.more(), pending);
  }

  /**
   * @param batches the final batches of the listing, in created order (read and skipped)
   * @param toRead the successful ones
   * @param skipped failed or aborted ones
   * @param more whether the window holds more than one run reads
   * @param stoppedAtPending the batch the listing stopped before, or null
   */
  record Listing(
      List<SourceBatch> batches,
      List<SourceBatch> toRead,
      List<String> skipped,
      boolean more,
      SourceBatch stoppedAtPending) {

    /** Only the batches at or before {@code last}: a re-run's window ends where it ended. */
    Listing upTo(Cursor last) {
      List<SourceBatch> kept = batches.stream().filter(b -> !last.before(b)).toList();
      return new Listing(
          kept,
          toRead.stream().filter(b -> !last.before(b)).toList(),
          skipped.stream()
              .filter(id -> kept.stream().anyMatch(b -> b.batchId().equals(id)))
              .toList(),
          false,
          stoppedAtPending != null && !last.before(stoppedAtPending) ? stoppedAtPending : null);
    }
  }
}
