package dev.sluice.workflows.platformingest;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.PlatformSourceActivities;
import dev.sluice.workflows.activities.PlatformSourceMessages.LastBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.LastBatchResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.SourceBatch;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.Delivery;
import dev.sluice.workflows.common.DurationText;
import dev.sluice.workflows.common.Failures;
import dev.sluice.workflows.common.Landing;
import dev.sluice.workflows.common.RunDetails;
import dev.sluice.workflows.common.StageTracker;
import dev.sluice.workflows.common.Timers;
import dev.sluice.workflows.common.Stubs;
import dev.sluice.workflows.common.WindowLease;
import dev.sluice.workflows.platformingest.BatchListing.Listing;
import dev.sluice.workflows.platformingest.BatchReading.Covered;
import dev.sluice.workflows.platformingest.BatchReading.Reading;
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
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;

/** See {@link PlatformIngestWorkflow}. Deterministic: every effect is an activity or a timer. */
public final class PlatformIngestWorkflowImpl implements PlatformIngestWorkflow {
  private static final Logger log = Workflow.getLogger(PlatformIngestWorkflowImpl.class);

  /** The label the watermark is stored under: the last source batch read, not a column. */
  static final String WATERMARK_LABEL = "_sluice_source_batch";

  private final StageTracker<Stage> stage = new StageTracker<>(Stage.SETTLING);
  private int batchesTotal;
  private int batchesRead;
  private long rows;
  private String lastBatchStatus;

  /** Whether this run keeps window ranges and holds its window, so a failure releases it. */
  private final WindowLease window = new WindowLease();

  @Override
  public PlatformIngestResult run(PlatformIngestInput input) {
    PlatformRun run = new PlatformRun(input);
    stage.startWindow(input.upsertStage(), this::details, run.logicalDate);
    stage.enter(Stage.SETTLING);
    Landing landing =
        Landing.newBuilder((failure, cancelled) -> cleanUpAfter(run))
            // Its published part stays; the rest of staging went with the publish.
            .passThrough(PlatformIngestWorkflowImpl::isSourceBatchFailure)
            .problemsPrefix("")
            .onStep(step -> stage.enter(Stage.valueOf(step.name())))
            .delivering(run.spec, run.table, run.windowId, run.key)
            .build();
    return landing.run(() -> ingest(run, input, landing));
  }

  /** The run's steps: settle, list, read, deliver, publish. */
  private PlatformIngestResult ingest(PlatformRun run, PlatformIngestInput input, Landing landing) {
    int settleChecks = settle(run);

    stage.enter(Stage.LISTING);
    // Added with window ranges: an incremental window owns the batches it read, so a re-run
    // reads exactly those again. Snapshots replace the whole table and own no range.
    window.windowed(
        !run.source.snapshot()
            && Workflow.getVersion("window-ranges", Workflow.DEFAULT_VERSION, 1) >= 1,
        false);
    Cursor from;
    Cursor upTo = null;
    WindowRange replaced = null;
    // Batches are listed created before this: the window's end, or less for an older window.
    long before = run.windowEnd.toEpochMilli();
    // A new window that ends before the table's watermark: it reads what no window owns.
    boolean older = false;
    if (window.windowed()) {
      OpenWindowResult opened =
          window.open(
              new OpenWindowRequest(
                  run.table, run.key, run.logicalDate, run.holder(), WATERMARK_LABEL),
              run.source.settleTimeout(),
              "source.settleTimeout");
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
          before = Math.min(before, BatchListing.firstOwned(run, from).created());
          from = run.windowStartCursor();
        }
      }
    } else {
      from = BatchListing.startingPoint(run, input.replay());
    }
    Listing listing = BatchListing.list(run, from, upTo, before, older);
    if (upTo != null) {
      listing = listing.upTo(upTo);
    }
    batchesTotal = listing.toRead().size();

    if (run.source.snapshot() && listing.toRead().isEmpty()) {
      // No new snapshot in the window: the table keeps the last one (publishing nothing in
      // snapshot mode would empty it).
      stage.enter(Stage.DONE);
      return PlatformIngestResult.newBuilder()
          .tableUri(run.table.path())
          .settleChecks(settleChecks)
          .build();
    }

    stage.enter(Stage.READING);
    Reading reading =
        BatchReading.read(
            run,
            listing.toRead(),
            r -> {
              batchesRead++;
              rows += r.rows();
              stage.refresh();
            });
    if (CancellationScope.current().isCancelRequested()) {
      // A read stopped by the cancellation is no source failure: nothing of this run lands.
      throw new CanceledFailure("cancelled while reading the source batches");
    }

    Covered covered = BatchReading.covered(listing, reading);
    List<ReadBatch> published = covered.published();
    SourceBatch last = covered.last();
    rows = published.stream().mapToLong(ReadBatch::rows).sum();

    Landing.Delivered delivered =
        landing.deliver(new Delivery.Staged(run.staging, covered.files()));
    boolean rerun = window.windowed() ? replaced != null : input.replay();
    // An older window reads below the watermark: moving it there would read newer batches again.
    boolean keepWatermark = rerun || older || run.source.snapshot() || last == null;
    String newWatermark = keepWatermark ? null : Cursor.of(last).toString();
    long landed = delivered.rows(rows);
    WindowCommit commit = null;
    if (window.windowed()) {
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
        landing.publishRequest(delivered, WATERMARK_LABEL, newWatermark, commit, landed);
    // The commit point: once it starts it finishes, whatever cancellation arrives meanwhile.
    PublishResult result = Landing.commit(() -> Landing.publish(publish));
    window.committed();
    Landing.countPublish(run.spec, "published");

    if (reading.failure() != null) {
      stage.enter(Stage.FAILED);
      throw BatchReading.sourceBatchFailed(reading, published, newWatermark);
    }
    stage.enter(Stage.DONE);
    return PlatformIngestResult.newBuilder()
        .tableUri(result.tableUri())
        .files(result.files())
        .rows(landed)
        .bytes(result.bytes())
        .batches(published)
        .skipped(listing.skipped())
        .more(listing.more() || listing.stoppedAtPending() != null)
        .watermark(newWatermark != null ? newWatermark : rerun ? null : from.stored())
        .deferral(delivered.deferral())
        .egress(delivered.egress())
        .settleChecks(settleChecks)
        .replaced(replaced)
        .build();
  }

  /** After a failure or a cancellation: the staging is discarded and the window released. */
  private List<String> cleanUpAfter(PlatformRun run) {
    stage.enter(Stage.CLEANING_UP);
    String problem = discard(run);
    stage.enter(Stage.FAILED);
    return problem == null ? List.of() : List.of(problem);
  }

  /** What the Web UI shows as the run's current details. */
  private RunDetails details() {
    PlatformIngestProgress p = progress();
    return RunDetails.of(p.stage())
        .line("Latest source batch", p.lastBatchStatus())
        .ofTotal("Batches read", p.batchesRead(), p.batchesTotal())
        .count("Rows", p.rows());
  }

  @Override
  public PlatformIngestProgress progress() {
    return new PlatformIngestProgress(
        stage.current(), batchesTotal, batchesRead, rows, lastBatchStatus);
  }

  /**
   * The guide's check before a run: the dataset's latest batch must be final, or a batch still
   * being written could be passed over. Waits on durable timers up to {@code settleTimeout}, which
   * no check outlives: each, its retries included, gets only the time left ({@link
   * ActivityProfiles#statusCheckWithin}).
   *
   * @return checks made
   */
  private int settle(PlatformRun run) {
    long deadline = Workflow.currentTimeMillis() + run.source.settleTimeout().toMillis();
    // Added after 0.1: a check used to get its own 15 minutes whatever the deadline.
    boolean bounded =
        Workflow.getVersion("deadline-bound-settle-check", Workflow.DEFAULT_VERSION, 1) >= 1;
    int checks = 0;
    LastBatchResult last = null;
    String checkError = null;
    while (true) {
      ActivityOptions check =
          bounded
              ? ActivityProfiles.statusCheckWithin(
                  Duration.ofMillis(deadline - Workflow.currentTimeMillis()))
              : ActivityProfiles.statusCheck(ActivityProfiles.SHORT_CALL);
      try {
        last =
            Stubs.summarized(
                    PlatformSourceActivities.class,
                    check,
                    "check the latest batch of dataset " + run.source.datasetId())
                .lastBatch(new LastBatchRequest(run.source));
        checkError = null;
      } catch (ActivityFailure e) {
        if (!ActivityProfiles.ranOutOfTimeLeft(check, e)) {
          throw e;
        }
        checkError = Failures.lastAttemptError(e);
      }
      checks++;
      if (checkError == null) {
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
      }
      long remaining = deadline - Workflow.currentTimeMillis();
      if (remaining <= 0) {
        throw notSettled(run, last, checks, checkError);
      }
      Duration pause =
          Duration.ofMillis(Math.min(run.source.settleInterval().toMillis(), remaining));
      stage.refresh();
      Timers.sleep(
          pause,
          "wait " + DurationText.of(pause) + " for the latest batch of dataset "
              + run.source.datasetId() + " to settle");
    }
  }

  /**
   * @param last the last answer, or null when no check was answered
   * @param checkError the last check's error when it got no answer before the deadline, or null
   */
  private static ApplicationFailure notSettled(
      PlatformRun run, LastBatchResult last, int checks, String checkError) {
    return ApplicationFailure.newNonRetryableFailure(
        (last == null
                ? "the latest batch of dataset " + run.source.datasetId() + " could not be checked"
                : "the latest batch "
                    + last.batchId()
                    + " of dataset "
                    + run.source.datasetId()
                    + " was still '"
                    + last.status()
                    + "'")
            + " after source.settleTimeout ("
            + DurationText.of(run.source.settleTimeout())
            + ", "
            + checks
            + " checks); "
            + Failures.unansweredBeforeDeadline("check", checkError)
            + "nothing was read, run again once it is final",
        FailureType.SOURCE_NOT_SETTLED.type());
  }

  private static boolean isSourceBatchFailure(TemporalFailure e) {
    return e instanceof ApplicationFailure a
        && FailureType.SOURCE_BATCH_FAILED.type().equals(a.getType());
  }

  /** Discards the run's staging; returns what went wrong, or null. Never throws. */
  private String discard(PlatformRun run) {
    if (!window.ownsStaging()) {
      return null; // refused before holding the window: its staging is the holder's
    }
    String problem = window.release(new ReleaseWindowRequest(run.table, run.key, run.holder()));
    if (problem != null) {
      log.warn(problem);
    }
    return Landing.discardStaging(run.table, run.staging);
  }

}
