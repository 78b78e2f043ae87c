package dev.sluice.workflows.asyncingest;

import dev.sluice.pipeline.IncrementalSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.Messages.StatusResult;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.SubmitResult;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowResult;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.WindowCommit;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import dev.sluice.workflows.asyncingest.Progress.Stage;
import dev.sluice.workflows.common.Delivery;
import dev.sluice.workflows.common.Landing;
import dev.sluice.workflows.common.RunDetails;
import dev.sluice.workflows.common.SearchAttributes;
import dev.sluice.workflows.common.StageTracker;
import dev.sluice.workflows.common.Stubs;
import dev.sluice.workflows.common.WindowLease;
import dev.sluice.workflows.permits.PermitMessages.PermitGrant;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/** See {@link AsyncIngestWorkflow}. Deterministic: every effect is an activity or a timer. */
public final class AsyncIngestWorkflowImpl implements AsyncIngestWorkflow {
  private static final Logger log = Workflow.getLogger(AsyncIngestWorkflowImpl.class);

  /**
   * Continue-as-new after this many status checks in one run, even if the server does not suggest
   * it yet: each check adds about a dozen events, so a run's history stays near 6,000 events.
   */
  static final int MAX_POLLS_PER_RUN = 500;

  // Activity stubs are made per call (summarized): each call carries its own summary.

  /** Upserted as {@code SluiceStage} when the input allows (see {@link AsyncIngestInput}). */
  private final StageTracker<Stage> stage = new StageTracker<>(Stage.SUBMITTING);

  private WaitState wait;
  private long rows;
  private long bytes;
  private long pages;

  /** When the next status check is due, while waiting; shown in the run's details. */
  private long nextCheckMillis;

  /** Set once clean-up ran, so a failure path never aborts or discards twice. */
  private boolean cleanedUp;

  /** A re-run of a past window: reads from the window's start and keeps the stored watermark. */
  private boolean replay;

  /** Whether this run keeps window ranges and holds its window's lease. */
  private final WindowLease window = new WindowLease();

  /** The source's shared budget and job limit, if it has them. */
  private final JobPermits permits = new JobPermits();

  /** Whether the provider's job was ready: clean-up then deletes it instead of aborting it. */
  private boolean ready;

  /** The window's split, or null when the pipeline has none. */
  private WindowSplit split;

  @Override
  public AsyncIngestResult run(AsyncIngestInput input) {
    AsyncRun run = new AsyncRun(input);
    replay = input.replay();
    wait = input.resumed();
    // A run continued as new holds the window its chain claimed.
    window.windowed(wait != null && wait.windowed(), wait != null && wait.windowed());
    // Only inputs that say the attributes are registered upsert (an unknown attribute fails the
    // workflow task); the version marker keeps the new commands out of older histories' way.
    stage.startWindow(
        input.upsertStage()
            && Workflow.getVersion("stage-search-attribute", Workflow.DEFAULT_VERSION, 1) >= 1,
        this::details,
        run.logicalDate);
    permits.start(run, stage, wait != null);
    if (wait == null) {
      stage.enter(Stage.SUBMITTING);
    } else {
      stage.upsert(SearchAttributes.PROVIDER_JOB_ID.valueSet(wait.requestId()));
    }
    Landing landing =
        Landing.newBuilder((failure, cancelled) -> cleanUpAfter(run, failure, cancelled))
            .onStep(step -> stage.enter(Stage.valueOf(step.name())))
            .delivering(run.spec, run.table, run.windowId, run.key)
            .build();
    return landing.run(() -> ingest(run, landing));
  }

  /** The run's steps: submit, wait, extract, deliver, publish. */
  private AsyncIngestResult ingest(AsyncRun run, Landing landing) {
    if (wait == null) {
      permits.acquire();
      wait = submit(run);
      stage.upsert(SearchAttributes.PROVIDER_JOB_ID.valueSet(wait.requestId()));
    }
    stage.enter(Stage.WAITING);
    split = WindowSplit.of(run); // null without source.split: then every command is as before
    String splitReason = WindowSplit.firstJob(split, () -> waitUntilReady(run));
    ready = true;
    permits.jobFinished();
    long readyAt = Workflow.currentTimeMillis();
    ProviderJob.recordWait(run, wait, readyAt);

    stage.enter(Stage.EXTRACTING);
    ExtractResult extracted =
        splitReason != null
            ? split.extractParts(wait, splitReason)
            : ResultParts.extractResult(run, run.extractRequest(wait));
    rows = extracted.rows();
    bytes = extracted.bytes();
    pages = extracted.pages();
    permits.extracted(bytes);
    long extractedAt = Workflow.currentTimeMillis();

    Landing.Delivered delivered =
        landing.deliver(new Delivery.Staged(run.staging, extracted.files()));
    long rowsOut = delivered.rows(extracted.rows());
    // A re-run re-reads a past window: the table's watermark stays where later runs left it.
    boolean rerun = wait.windowed() ? wait.replaced() != null : replay;
    String newWatermark = run.watermarkColumn() == null || rerun ? null : extracted.maxWatermark();
    WindowCommit commit = wait.windowed() ? run.commit(wait, extracted) : null;
    PublishRequest publish =
        landing.publishRequest(delivered, run.watermarkColumn(), newWatermark, commit, rowsOut);
    // Publishing is the commit point: a cancellation arriving now can never leave half a run in
    // the table. The run then completes normally.
    Published published = Landing.commit(() -> publishAndRelease(run, publish));
    window.committed();
    stage.enter(Stage.DONE);
    long waitStart = wait.startedMillis() + wait.submitMillis();
    return AsyncIngestResult.newBuilder()
        .requestId(wait.requestId())
        .tableUri(published.result().tableUri())
        .files(published.result().files())
        .rows(rowsOut)
        .bytes(published.result().bytes())
        .pages(extracted.pages())
        .polls(wait.polls())
        // A re-run leaves the table's watermark alone and does not know it (a newer window may
        // move it meanwhile): none is reported, as for a platform source.
        .watermark(newWatermark != null ? newWatermark : rerun ? null : wait.watermark())
        .timings(
            new AsyncIngestResult.StageTimings(
                wait.submitMillis(),
                readyAt - waitStart,
                extractedAt - readyAt,
                published.atMillis() - extractedAt))
        .cleanupWarning(published.cleanupWarning())
        .deferral(delivered.deferral())
        .egress(delivered.egress())
        .range(
            commit == null || commit.column() == null ? null : rangeOf(commit, published, rowsOut))
        .replaced(wait.windowed() ? wait.replaced() : null)
        .droppedRows(extracted.droppedRows())
        .splits(split == null ? null : split.parts())
        .build();
  }

  /**
   * After a failure or a cancellation: a provider job still running is aborted (one that failed
   * is not), a finished one deleted, and the staging discarded.
   */
  private List<String> cleanUpAfter(AsyncRun run, TemporalFailure failure, boolean cancelled) {
    stage.enter(Stage.CLEANING_UP);
    List<String> problems = cleanUp(run, !ready && (cancelled || !isProviderFailed(failure)));
    stage.enter(Stage.FAILED);
    return problems;
  }

  @Override
  public Progress progress() {
    return new Progress(
        stage.current(),
        wait == null ? null : wait.requestId(),
        wait == null ? 0 : wait.polls(),
        wait == null ? null : wait.providerState(),
        rows,
        bytes,
        permits.waitingFor());
  }

  @Override
  public void permitGranted(PermitGrant grant) {
    permits.granted(grant);
  }

  /** What the Web UI shows as the run's current details. */
  private RunDetails details() {
    Progress p = progress();
    return RunDetails.of(p.stage())
        .line("Waiting for", p.waitingFor())
        .line("Provider job", p.requestId())
        .line("Provider state", p.providerState())
        .count("Status checks", p.polls())
        .at("Next check", p.stage() == Stage.WAITING ? nextCheckMillis : 0)
        .line("Split", split == null ? null : split.progress())
        .count("Pages", pages)
        .count("Rows", p.rows())
        .bytes(p.bytes());
  }

  private WaitState submit(AsyncRun run) {
    long started = Workflow.currentTimeMillis();
    String watermark = null;
    String watermarkEnd = null;
    WindowRange replaced = null;
    IncrementalSpec incremental = run.spec.incremental();
    // Added with window ranges; histories recorded before keep the old way of reading.
    window.windowed(Workflow.getVersion("window-ranges", Workflow.DEFAULT_VERSION, 1) >= 1, false);
    if (window.windowed()) {
      OpenWindowResult opened = openWindow(run);
      replaced = opened.committed();
      if (incremental != null && replaced != null) {
        // A re-run reads exactly the range the window owns, whatever the table's watermark says.
        watermark = replaced.from();
        watermarkEnd = replaced.to();
      } else if (incremental != null) {
        watermark =
            opened.tableWatermark() != null ? opened.tableWatermark() : incremental.initial();
        watermarkEnd = incremental.openEnd();
      }
    } else if (incremental != null && replay) {
      // A replay covers its own window whatever the table's watermark says.
      watermark = run.windowStart;
    } else if (incremental != null) {
      watermark = Landing.readWatermark(run.table);
      if (watermark == null) {
        watermark = incremental.initial();
      }
    }
    Map<String, String> vars = run.baseVars(watermark, watermarkEnd);
    String from = watermark;
    String end = watermarkEnd;
    WindowRange rerun = replaced;
    SubmitResult submitted =
        ProviderJob.submit(
            run,
            new SubmitRequest(
                run.key,
                run.source,
                vars,
                // Submit only ever happens in the first run of a chain (later runs carry the
                // request ID), so this run's ID is stable across every retry of the submit.
                RunKeys.receipt(run.table, run.key, Workflow.getInfo().getRunId())),
            "submit to " + run.provider,
            // Its answer lost, the job is this run's all the same: the clean-up aborts it.
            accepted -> wait = waitFor(run, accepted, started, from, end, rerun));
    if (submitted.reused()) {
      log.info("reusing provider job {} submitted by an earlier attempt", submitted.requestId());
    }
    return waitFor(run, submitted, started, from, end, rerun);
  }

  /** The wait for the job {@code submitted} names, its submit begun at {@code started}. */
  private WaitState waitFor(
      AsyncRun run,
      SubmitResult submitted,
      long started,
      String watermark,
      String watermarkEnd,
      WindowRange replaced) {
    long now = Workflow.currentTimeMillis();
    return new WaitState(
        submitted.requestId(),
        watermark,
        0,
        run.source.status().interval(),
        now + run.source.status().timeout().toMillis(),
        null,
        started,
        now - started,
        window.windowed(),
        watermarkEnd,
        replaced,
        submitted.values());
  }

  /** Claims the window; see {@link WindowLease#open}. */
  private OpenWindowResult openWindow(AsyncRun run) {
    return window.open(
        new OpenWindowRequest(
            run.table, run.key, run.logicalDate, run.holder(), run.watermarkColumn()),
        run.source.status().timeout(),
        "source.status.timeout");
  }

  private static WindowRange rangeOf(WindowCommit commit, Published published, long rows) {
    return new WindowRange(
        commit.window(),
        commit.column(),
        commit.from(),
        commit.to(),
        rows,
        published.result().files().size(),
        commit.holder().workflowId(),
        commit.runId(),
        null);
  }

  /** Step 2: polls until ready (see {@link StatusPolling}), keeping the progress current. */
  private StatusResult waitUntilReady(AsyncRun run) {
    return StatusWait.untilReady(
        run,
        wait,
        polled -> wait = polled,
        at -> {
          nextCheckMillis = at;
          stage.refresh();
        },
        w -> new AsyncIngestInput(run.spec, run.logicalDate, w, stage.upserts(), replay, run.extra),
        statusError ->
            StatusPolling.timedOut(run, wait, statusError, cleanUp(run, true)));
  }

  /**
   * Leaves nothing behind: aborts a live provider job, or deletes a finished one (its result was
   * not published), and discards the run's staging. Returns what could not be cleaned up, so the
   * run's failure can say so; never throws over the failure that brought us here.
   */
  private List<String> cleanUp(AsyncRun run, boolean providerLive) {
    List<String> problems = new ArrayList<>();
    if (cleanedUp) {
      return problems;
    }
    cleanedUp = true;
    if (wait != null && providerLive && run.source.cleanup().abort() != null) {
      String aborted = ProviderJob.abort(run, wait);
      if (aborted != null) {
        problems.add(aborted);
      }
    } else if (wait != null
        && !providerLive
        && run.source.cleanup().delete() != null
        // Added after 0.1 histories were recorded: runs that failed before it keep their path.
        && Workflow.getVersion("delete-unpublished-job", Workflow.DEFAULT_VERSION, 1) >= 1) {
      String error = ProviderJob.delete(run, wait);
      if (error != null) {
        problems.add("delete of provider job " + wait.requestId() + " failed: " + error);
      }
    }
    // The job is finished now (or never was): its permit, or a place in line, goes back.
    permits.cleanUp(problems);
    if (!window.ownsStaging()) {
      // Refused before holding the window: its staging belongs to the run that holds it.
      return problems;
    }
    String discarded = Landing.discardStaging(run.table, run.staging);
    if (discarded != null) {
      problems.add(discarded);
    }
    String released = window.release(new ReleaseWindowRequest(run.table, run.key, run.holder()));
    if (released != null) {
      problems.add(released);
    }
    return problems;
  }

  /** A publish that happened, when, and whether the provider job could be deleted after it. */
  private record Published(PublishResult result, long atMillis, String cleanupWarning) {}

  private Published publishAndRelease(AsyncRun run, PublishRequest publish) {
    PublishResult result;
    try {
      result = Landing.publish(publish);
    } catch (ActivityFailure e) {
      Landing.countPublish(run.spec, "failed");
      throw e;
    }
    Landing.countPublish(run.spec, "published");
    long at = Workflow.currentTimeMillis();
    stage.enter(Stage.CLEANING_UP);
    return new Published(result, at, deleteProviderJob(run));
  }

  /**
   * Deletes the provider job after success, if the source says how; a failure is reported, not
   * fatal.
   */
  private String deleteProviderJob(AsyncRun run) {
    if (run.source.cleanup().delete() == null) {
      return null;
    }
    String error = ProviderJob.delete(run, wait);
    if (error == null) {
      return null;
    }
    String warning =
        "the data is published, but deleting provider job "
            + wait.requestId()
            + " failed: "
            + error;
    log.warn(warning);
    return warning;
  }

  private static boolean isProviderFailed(TemporalFailure e) {
    return e instanceof ApplicationFailure a
        && FailureType.PROVIDER_JOB_FAILED.type().equals(a.getType());
  }
}
