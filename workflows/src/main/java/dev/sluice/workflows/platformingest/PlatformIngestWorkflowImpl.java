package dev.sluice.workflows.platformingest;

import static dev.sluice.workflows.common.Failures.rootMessage;
import static dev.sluice.workflows.common.Failures.rootType;

import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.DiscardRequest;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.PlatformSourceActivities;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.LastBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.LastBatchResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.SourceBatch;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.Delivery;
import dev.sluice.workflows.common.SearchAttributes;
import dev.sluice.workflows.common.TaskQueues;
import dev.sluice.workflows.common.WindowClaims;
import dev.sluice.workflows.common.Windows;
import dev.sluice.workflows.activities.WindowMessages.FirstWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowResult;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.WindowCommit;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import dev.sluice.workflows.platformingest.PlatformIngestProgress.Stage;
import dev.sluice.workflows.platformingest.PlatformIngestResult.ReadBatch;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/** See {@link PlatformIngestWorkflow}. Deterministic: every effect is an activity or a timer. */
public final class PlatformIngestWorkflowImpl implements PlatformIngestWorkflow {
  private static final Logger log = Workflow.getLogger(PlatformIngestWorkflowImpl.class);

  /** The label the watermark is stored under: the last source batch read, not a column. */
  static final String WATERMARK_LABEL = "_sluice_source_batch";

  private Stage stage = Stage.SETTLING;
  private boolean upsertStage;
  private int batchesTotal;
  private int batchesRead;
  private long rows;
  private String lastBatchStatus;

  /** Whether this run keeps window ranges (its history has the {@code window-ranges} version). */
  private boolean windowed;

  /** Whether this run holds its window, so a failure releases it and discards its staging. */
  private boolean windowHeld;

  @Override
  public PlatformIngestResult run(PlatformIngestInput input) {
    Run run = new Run(input);
    upsertStage = input.upsertStage();
    enter(Stage.SETTLING);
    try {
      int settleChecks = settle(run);

      enter(Stage.LISTING);
      // Added with window ranges: an incremental window owns the batches it read, so a re-run
      // reads exactly those again. Snapshots replace the whole table and own no range.
      windowed =
          !run.source.snapshot()
              && Workflow.getVersion("window-ranges", Workflow.DEFAULT_VERSION, 1) >= 1;
      Cursor from;
      Cursor upTo = null;
      WindowRange replaced = null;
      // Batches are listed created before this: the window's end, or less for an older window.
      long before = run.windowEnd.toEpochMilli();
      // A new window that ends before the table's watermark: it reads what no window owns.
      boolean older = false;
      if (windowed) {
        OpenWindowResult opened =
            WindowClaims.open(
                new OpenWindowRequest(
                    run.table, run.key, run.logicalDate, run.holder(), WATERMARK_LABEL),
                run.source.settleTimeout(),
                "source.settleTimeout");
        windowHeld = true;
        replaced = opened.committed();
        if (replaced != null) {
          from = Cursor.parse(replaced.from());
          upTo = Cursor.parse(replaced.to());
        } else if (opened.tableWatermark() == null) {
          from = run.windowStartCursor();
        } else {
          from = Cursor.parse(opened.tableWatermark());
          // Added after window ranges: windows run out of order (a replay two at a time, a
          // backfill after newer windows) used to find nothing after the watermark and lose the
          // batches of their own time, which no window had read.
          if (before <= from.created()
              && Workflow.getVersion("older-window-reads-unowned", Workflow.DEFAULT_VERSION, 1)
                  >= 1) {
            older = true;
            before = Math.min(before, firstOwned(run, from).created());
            from = run.windowStartCursor();
          }
        }
      } else {
        from = startingPoint(run, input.replay());
      }
      Listing listing = list(run, from, upTo, before, older);
      if (upTo != null) {
        listing = listing.upTo(upTo);
      }
      batchesTotal = listing.toRead().size();

      if (run.source.snapshot() && listing.toRead().isEmpty()) {
        // No new snapshot in the window: the table keeps the last one (publishing nothing in
        // snapshot mode would empty it).
        enter(Stage.DONE);
        return new PlatformIngestResult(
            run.table.path(),
            List.of(),
            0,
            0,
            List.of(),
            List.of(),
            false,
            null,
            null,
            null,
            settleChecks);
      }

      enter(Stage.READING);
      Reading reading = read(run, listing.toRead());
      if (CancellationScope.current().isCancelRequested()) {
        // A read stopped by the cancellation is no source failure: nothing of this run lands.
        throw new CanceledFailure("cancelled while reading the source batches");
      }

      // Only what the watermark covers is published: a batch read after one that failed is read
      // again by the next run, which starts from the watermark, so nothing lands twice.
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
      rows = published.stream().mapToLong(ReadBatch::rows).sum();

      Delivery.Staged staged = new Delivery.Staged(run.staging, files);
      Delivery.Deferred deferred = null;
      if (run.spec.defer() != null) {
        enter(Stage.DEFERRING);
        deferred = Delivery.defer(run.spec, run.table, run.key, staged);
        staged = deferred.staged();
      }
      BatchEgressResult egress = null;
      if (run.spec.sink() instanceof PlatformBatchSink) {
        enter(Stage.SENDING);
        egress = Delivery.send(run.spec, run.windowId, run.key, staged);
      }

      enter(Stage.PUBLISHING);
      boolean rerun = windowed ? replaced != null : input.replay();
      // An older window reads below the watermark: moving it there would read newer batches again.
      boolean keepWatermark = rerun || older || run.source.snapshot() || last == null;
      String newWatermark = keepWatermark ? null : Cursor.of(last).toString();
      long landed = deferred == null || deferred.result() == null ? rows : deferred.result().rows();
      WindowCommit commit = null;
      if (windowed) {
        String to;
        if (replaced != null) {
          to = replaced.to();
        } else if (older) {
          to = last != null ? Cursor.of(last).toString() : from.toString();
        } else {
          to = newWatermark != null ? newWatermark : from.toString();
        }
        commit =
            new WindowCommit(
                run.key,
                run.logicalDate,
                run.holder(),
                Workflow.getInfo().getRunId(),
                WATERMARK_LABEL,
                from.toString(),
                to);
      }
      PublishRequest publish =
          new PublishRequest(
              run.key,
              run.table,
              staged.stagingUri(),
              staged.files(),
              WATERMARK_LABEL,
              newWatermark,
              run.spec.defer(),
              commit,
              landed);
      // The commit point: once it starts it finishes, whatever cancellation arrives meanwhile.
      List<PublishResult> holder = new ArrayList<>(1);
      Workflow.newDetachedCancellationScope(
              () ->
                  holder.add(
                      stub(
                              ParquetSinkActivities.class,
                              ActivityProfiles.SINK_CALL,
                              "publish to " + run.table.path())
                          .publish(publish)))
          .run();
      PublishResult result = holder.get(0);
      windowHeld = false; // released with the commit
      countPublish(run, "published");

      if (reading.failure() != null) {
        enter(Stage.FAILED);
        throw sourceBatchFailed(reading, published, newWatermark);
      }
      enter(Stage.DONE);
      return new PlatformIngestResult(
          result.tableUri(),
          result.files(),
          landed,
          result.bytes(),
          published,
          listing.skipped(),
          listing.more() || listing.stoppedAtPending() != null,
          newWatermark != null ? newWatermark : rerun ? null : from.stored(),
          deferred == null ? null : deferred.result(),
          egress,
          settleChecks,
          replaced);
    } catch (CanceledFailure e) {
      enter(Stage.CLEANING_UP);
      Workflow.newDetachedCancellationScope(() -> discard(run)).run();
      enter(Stage.FAILED);
      throw e;
    } catch (TemporalFailure e) {
      if (isSourceBatchFailure(e)) {
        throw e; // its published part stays; the rest of staging went with the publish
      }
      if (CancellationScope.current().isCancelRequested()) {
        // An activity or child cancelled with the run fails as ActivityFailure or
        // ChildWorkflowFailure, not CanceledFailure: still a cancellation, and the run's own
        // scope can no longer call out.
        enter(Stage.CLEANING_UP);
        Workflow.newDetachedCancellationScope(() -> discard(run)).run();
        enter(Stage.FAILED);
        throw new CanceledFailure("cancelled: " + rootMessage(e));
      }
      enter(Stage.CLEANING_UP);
      String problem = discard(run);
      enter(Stage.FAILED);
      throw withCause(e, problem);
    }
  }

  @Override
  public PlatformIngestProgress progress() {
    return new PlatformIngestProgress(stage, batchesTotal, batchesRead, rows, lastBatchStatus);
  }

  private void enter(Stage next) {
    stage = next;
    if (upsertStage) {
      Workflow.upsertTypedSearchAttributes(SearchAttributes.STAGE.valueSet(next.name()));
    }
  }

  /**
   * The guide's check before a run: the dataset's latest batch must be final, or a batch still
   * being written could be passed over. Waits on durable timers up to {@code settleTimeout}.
   *
   * @return checks made
   */
  private int settle(Run run) {
    long deadline = Workflow.currentTimeMillis() + run.source.settleTimeout().toMillis();
    int checks = 0;
    while (true) {
      LastBatchResult last =
          stub(
                  PlatformSourceActivities.class,
                  ActivityProfiles.SHORT_CALL,
                  "check the latest batch of dataset " + run.source.datasetId())
              .lastBatch(new LastBatchRequest(run.source));
      checks++;
      lastBatchStatus = last.status();
      if (last.batchId() == null || last.outcome() != Outcome.PENDING) {
        if (last.outcome() == Outcome.FAILED) {
          log.warn(
              "the latest batch {} of dataset {} is '{}'; reading the successful ones",
              last.batchId(),
              run.source.datasetId(),
              last.status());
        }
        return checks;
      }
      long remaining = deadline - Workflow.currentTimeMillis();
      if (remaining <= 0) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the latest batch "
                + last.batchId()
                + " of dataset "
                + run.source.datasetId()
                + " was still '"
                + last.status()
                + "' after source.settleTimeout ("
                + run.source.settleTimeout()
                + ", "
                + checks
                + " checks); nothing was read, run again once it is final",
            FailureType.SOURCE_NOT_SETTLED.type());
      }
      Workflow.sleep(
          Duration.ofMillis(Math.min(run.source.settleInterval().toMillis(), remaining)));
    }
  }

  /** Where reading starts: the stored watermark, or the window's start. */
  private Cursor startingPoint(Run run, boolean replay) {
    Cursor windowStart = run.windowStartCursor();
    if (replay || run.source.snapshot()) {
      return windowStart;
    }
    String stored =
        stub(
                ParquetSinkActivities.class,
                ActivityProfiles.SINK_CALL,
                "read the watermark of " + run.table.path())
            .readWatermark(new WatermarkRequest(run.table))
            .watermark();
    return stored == null ? windowStart : Cursor.parse(stored);
  }

  /**
   * Where the batches windows own begin: the start of the table's earliest committed range (the
   * watermark, when no record says otherwise). An older window reads only batches created before
   * it, which no window has read.
   */
  private Cursor firstOwned(Run run, Cursor watermark) {
    WindowRange first =
        stub(
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
  private Listing list(Run run, Cursor from, Cursor upTo, long before, boolean whole) {
    PlatformSourceActivities catalog =
        stub(
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
   * Reads the batches: one at a time in created order ({@code ordered}, a failure stops the line),
   * or up to {@code maxParallel} at once ({@code parallel}, a new read starting as one ends).
   */
  private Reading read(Run run, List<SourceBatch> batches) {
    Map<String, ExtractBatchResult> done = new java.util.HashMap<>();
    int limit = run.source.parallel() ? Math.max(1, run.source.maxParallel()) : 1;
    List<Promise<ExtractBatchResult>> inFlight = new ArrayList<>(limit);
    List<SourceBatch> inFlightBatches = new ArrayList<>(limit);
    Failed failed = null;
    int next = 0;
    while (next < batches.size() || !inFlight.isEmpty()) {
      while (failed == null && next < batches.size() && inFlight.size() < limit) {
        SourceBatch batch = batches.get(next++);
        PlatformSourceActivities reader =
            stub(
                PlatformSourceActivities.class,
                ActivityProfiles.LONG_TRANSFER,
                "read batch " + batch.batchId() + " of dataset " + run.source.datasetId());
        inFlight.add(
            Async.function(
                reader::extractBatch,
                new ExtractBatchRequest(
                    run.key, run.source, batch.batchId(), run.table, run.staging)));
        inFlightBatches.add(batch);
      }
      if (inFlight.isEmpty()) {
        break;
      }
      // Not anyOf(..).get(), which would throw the first failed read out of here: each read's
      // outcome is handled below, so a failure stops the line instead of failing the run.
      Promise.anyOf(inFlight).handle((value, failure) -> null).get();
      for (int i = inFlight.size() - 1; i >= 0; i--) {
        Promise<ExtractBatchResult> p = inFlight.get(i);
        if (!p.isCompleted()) {
          continue;
        }
        SourceBatch batch = inFlightBatches.get(i);
        inFlight.remove(i);
        inFlightBatches.remove(i);
        ExtractBatchResult r;
        try {
          r = p.get();
        } catch (ActivityFailure e) {
          if (failed == null || batch.created() < failed.batch().created()) {
            failed = new Failed(batch, e);
          }
          continue;
        }
        done.put(batch.batchId(), r);
        batchesRead++;
        rows += r.rows();
      }
    }
    return new Reading(done, failed);
  }

  private ApplicationFailure sourceBatchFailed(
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

  private static boolean isSourceBatchFailure(TemporalFailure e) {
    return e instanceof ApplicationFailure a
        && FailureType.SOURCE_BATCH_FAILED.type().equals(a.getType());
  }

  /** Discards the run's staging; returns what went wrong, or null. Never throws. */
  private String discard(Run run) {
    if (windowed && !windowHeld) {
      return null; // refused before holding the window: its staging is the holder's
    }
    if (windowHeld) {
      String problem =
          WindowClaims.release(new ReleaseWindowRequest(run.table, run.key, run.holder()));
      windowHeld = false;
      if (problem != null) {
        log.warn(problem);
      }
    }
    try {
      stub(
              ParquetSinkActivities.class,
              ActivityProfiles.SINK_CALL,
              "discard staging " + run.staging)
          .discardStaging(new DiscardRequest(run.table, run.staging));
      return null;
    } catch (ActivityFailure e) {
      return "discarding staging " + run.staging + " failed: " + rootMessage(e);
    }
  }

  private static TemporalFailure withCause(TemporalFailure e, String problem) {
    if (problem == null && !(e instanceof ChildWorkflowFailure)) {
      return e;
    }
    String message = problem == null ? rootMessage(e) : rootMessage(e) + "; " + problem;
    String type = e instanceof ApplicationFailure a ? a.getType() : rootType(e);
    return ApplicationFailure.newNonRetryableFailureWithCause(message, type, e);
  }

  private static <T> T stub(Class<T> type, ActivityOptions profile, String summary) {
    return Workflow.newActivityStub(
        type, ActivityOptions.newBuilder(profile).setSummary(summary).build());
  }

  /** Counter of publishes by pipeline and outcome ({@code sluice_publish_total}). */
  private static void countPublish(Run run, String outcome) {
    Workflow.getMetricsScope()
        .tagged(Map.of("pipeline", run.spec.name(), "outcome", outcome))
        .counter("sluice_publish")
        .inc(1);
  }

  /**
   * A position in the dataset's batches: created time and, for ties, the batch ID.
   *
   * @param stored the watermark text it was read from, or null
   */
  record Cursor(long created, String batchId, String stored) {
    static Cursor of(SourceBatch b) {
      return new Cursor(b.created(), b.batchId(), null);
    }

    /** {@code <created-millis>/<batch-id>}, as stored by {@link #toString}. */
    static Cursor parse(String stored) {
      int slash = stored.indexOf('/');
      try {
        if (slash < 0) {
          return new Cursor(Long.parseLong(stored), null, stored);
        }
        return new Cursor(
            Long.parseLong(stored.substring(0, slash)), stored.substring(slash + 1), stored);
      } catch (NumberFormatException e) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the table's watermark '"
                + stored
                + "' is not a platform source position (<created-millis>/<batch-id>); was the"
                + " table written by another pipeline?",
            FailureType.INVALID_PIPELINE.type());
      }
    }

    /** Whether {@code b} comes after this position (created, then batch ID). */
    boolean before(SourceBatch b) {
      if (b.created() != created) {
        return b.created() > created;
      }
      return batchId == null || b.batchId().compareTo(batchId) > 0;
    }

    @Override
    public String toString() {
      return batchId == null ? Long.toString(created) : created + "/" + batchId;
    }
  }

  /**
   * @param batches the final batches of the listing, in created order (read and skipped)
   * @param toRead the successful ones
   * @param skipped failed or aborted ones
   * @param more whether the window holds more than one run reads
   * @param stoppedAtPending the batch the listing stopped before, or null
   */
  private record Listing(
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

  private record Failed(SourceBatch batch, ActivityFailure cause) {}

  private record Reading(Map<String, ExtractBatchResult> done, Failed failure) {}

  /** What every step derives from the input and the workflow's info. */
  private static final class Run {
    final PipelineSpec spec;
    final PlatformBatchesSource source;
    final ParquetSink table;
    final String windowId;
    final String key;
    final String staging;
    final Instant windowStart;
    final Instant windowEnd;
    final String logicalDate;
    final String firstRunId;

    Run(PlatformIngestInput input) {
      this.spec = input.pipeline();
      this.source = (PlatformBatchesSource) spec.source();
      ParquetSink sinkTable = spec.sink().table();
      // A snapshot replaces the table with the latest batch each run.
      this.table =
          source.snapshot()
              ? new ParquetSink(
                  sinkTable.path(),
                  "snapshot",
                  sinkTable.compression(),
                  sinkTable.targetFileSize(),
                  sinkTable.columns(),
                  sinkTable.inferRows())
              : sinkTable;
      this.logicalDate = input.logicalDate() != null ? input.logicalDate() : scheduledTime();
      this.firstRunId = Workflow.getInfo().getFirstExecutionRunId();
      this.windowEnd = Windows.instant(logicalDate);
      if (windowEnd == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the logical date '"
                + logicalDate
                + "' is not an ISO-8601 instant or date: a platform source reads the batches"
                + " created in the window ending then",
            FailureType.INVALID_PIPELINE.type());
      }
      this.windowStart = windowEnd.minus(spec.window());
      this.windowId = TaskQueues.ingestWorkflowId(spec.name(), logicalDate);
      this.key = RunKeys.of(windowId);
      this.staging = RunKeys.staging(table, key);
    }

    /** The run as a lease holder: stable across retries. */
    Holder holder() {
      return new Holder(Workflow.getInfo().getWorkflowId(), firstRunId);
    }

    /** The window's start, as a position before every batch created in the window. */
    Cursor windowStartCursor() {
      return new Cursor(windowStart.toEpochMilli(), null, null);
    }

    private static String scheduledTime() {
      java.time.OffsetDateTime scheduled =
          Workflow.getTypedSearchAttributes().get(SearchAttributes.SCHEDULED_START_TIME);
      if (scheduled != null) {
        return scheduled.toInstant().toString();
      }
      return Instant.ofEpochMilli(Workflow.currentTimeMillis())
          .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
          .toString();
    }
  }
}
