package dev.sluice.workflows.asyncingest;

import static dev.sluice.workflows.common.Failures.rootMessage;
import static dev.sluice.workflows.common.Failures.rootType;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.IncrementalSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.TemplateVariables;
import dev.sluice.workflows.activities.FailureTypes;
import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.CleanupRequest;
import dev.sluice.workflows.activities.Messages.DiscardRequest;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.StatusResult;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.SubmitResult;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowResult;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.WindowCommit;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import dev.sluice.workflows.asyncingest.Progress.Stage;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.Delivery;
import dev.sluice.workflows.common.DurationText;
import dev.sluice.workflows.common.SearchAttributes;
import dev.sluice.workflows.common.TaskQueues;
import dev.sluice.workflows.common.WindowClaims;
import dev.sluice.workflows.common.Windows;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

  private Stage stage = Stage.SUBMITTING;

  /** Whether stage changes are upserted as {@code SluiceStage} (see {@link AsyncIngestInput}). */
  private boolean upsertStage;

  private WaitState wait;
  private long rows;
  private long bytes;

  /** Set once clean-up ran, so a failure path never aborts or discards twice. */
  private boolean cleanedUp;

  /** A re-run of a past window: reads from the window's start and keeps the stored watermark. */
  private boolean replay;

  /**
   * Whether this run holds its window's lease, so clean-up may discard the window's staging and
   * must release the lease. A run refused because another holds the window touches neither.
   */
  private boolean windowHeld;

  /** Whether this run keeps window ranges (its history has the {@code window-ranges} version). */
  private boolean windowed;


  @Override
  public AsyncIngestResult run(AsyncIngestInput input) {
    Run run = new Run(input);
    replay = input.replay();
    wait = input.resumed();
    windowed = wait != null && wait.windowed();
    windowHeld = windowed;
    // Only inputs that say the attributes are registered upsert (an unknown attribute fails the
    // workflow task); the version marker keeps the new commands out of older histories' way.
    upsertStage =
        input.upsertStage()
            && Workflow.getVersion("stage-search-attribute", Workflow.DEFAULT_VERSION, 1) >= 1;
    if (wait == null) {
      enter(Stage.SUBMITTING);
    }
    boolean ready = false;
    try {
      if (wait == null) {
        wait = submit(run);
      }
      enter(Stage.WAITING);
      waitUntilReady(run);
      ready = true;
      long readyAt = Workflow.currentTimeMillis();
      recordProviderWait(run, readyAt);

      enter(Stage.EXTRACTING);
      ExtractResult extracted =
          summarized(
                  HttpJobActivities.class,
                  ActivityProfiles.LONG_TRANSFER,
                  "extract from " + run.provider)
              .extract(
                  new ExtractRequest(
                      run.key,
                      run.source,
                      run.vars(wait),
                      run.table,
                      run.staging,
                      run.watermarkColumn(),
                      // A window owns (from, to]: rows outside it belong to other windows.
                      wait.windowed() && run.watermarkColumn() != null ? wait.watermark() : null,
                      wait.windowed() && wait.replaced() != null ? wait.replaced().to() : null));
      rows = extracted.rows();
      bytes = extracted.bytes();
      long extractedAt = Workflow.currentTimeMillis();

      Delivery.Staged staged = new Delivery.Staged(run.staging, extracted.files());
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
      long rowsOut =
          deferred == null || deferred.result() == null
              ? extracted.rows()
              : deferred.result().rows();
      // A re-run re-reads a past window: the table's watermark stays where later runs left it.
      boolean rerun = wait.windowed() ? wait.replaced() != null : replay;
      String newWatermark =
          run.watermarkColumn() == null || rerun ? null : extracted.maxWatermark();
      WindowCommit commit = wait.windowed() ? commitOf(run, extracted) : null;
      PublishRequest publish =
          new PublishRequest(
              run.key,
              run.table,
              staged.stagingUri(),
              staged.files(),
              run.watermarkColumn(),
              newWatermark,
              run.spec.defer(),
              commit,
              rowsOut);
      // Publishing is the commit point: once it starts it finishes, so a cancellation arriving
      // now can never leave half a run in the table. The run then completes normally.
      List<Published> holder = new ArrayList<>(1);
      Workflow.newDetachedCancellationScope(() -> holder.add(publishAndRelease(run, publish)))
          .run();
      Published published = holder.get(0);
      windowHeld = false; // the publish released the window with its commit
      enter(Stage.DONE);
      long waitStart = wait.startedMillis() + wait.submitMillis();
      return new AsyncIngestResult(
          wait.requestId(),
          published.result().tableUri(),
          published.result().files(),
          rowsOut,
          published.result().bytes(),
          extracted.pages(),
          wait.polls(),
          // A re-run leaves the table's watermark alone and does not know it (a newer window may
          // move it meanwhile): none is reported, as for a platform source.
          newWatermark != null ? newWatermark : rerun ? null : wait.watermark(),
          new AsyncIngestResult.StageTimings(
              wait.submitMillis(),
              readyAt - waitStart,
              extractedAt - readyAt,
              published.atMillis() - extractedAt),
          published.cleanupWarning(),
          deferred == null ? null : deferred.result(),
          egress,
          commit == null || commit.column() == null ? null : rangeOf(commit, published, rowsOut),
          wait.windowed() ? wait.replaced() : null,
          extracted.droppedRows());
    } catch (CanceledFailure e) {
      enter(Stage.CLEANING_UP);
      boolean providerLive = !ready;
      // The run's own scope is cancelled: clean-up activities need a scope of their own.
      Workflow.newDetachedCancellationScope(() -> cleanUp(run, providerLive)).run();
      enter(Stage.FAILED);
      throw e;
    } catch (TemporalFailure e) {
      if (CancellationScope.current().isCancelRequested()) {
        // An activity cancelled with the run (the extract) fails as ActivityFailure, not
        // CanceledFailure: still a cancellation, and this scope can no longer call out.
        enter(Stage.CLEANING_UP);
        boolean providerLive = !ready;
        Workflow.newDetachedCancellationScope(() -> cleanUp(run, providerLive)).run();
        enter(Stage.FAILED);
        throw new CanceledFailure("cancelled: " + rootMessage(e));
      }
      enter(Stage.CLEANING_UP);
      List<String> problems = cleanUp(run, !ready && !isProviderFailed(e));
      enter(Stage.FAILED);
      throw withCleanupProblems(e, problems);
    }
  }

  /** Moves to {@code next}, and tells visibility when the input allows it. */
  private void enter(Stage next) {
    stage = next;
    if (upsertStage) {
      Workflow.upsertTypedSearchAttributes(SearchAttributes.STAGE.valueSet(next.name()));
    }
  }

  /**
   * A stub whose calls carry {@code summary}, which the Web UI shows beside the activity. The
   * summary is metadata on the command, not part of what replay compares.
   */
  private static <T> T summarized(Class<T> type, ActivityOptions profile, String summary) {
    return Workflow.newActivityStub(
        type, ActivityOptions.newBuilder(profile).setSummary(summary).build());
  }

  @Override
  public Progress progress() {
    return new Progress(
        stage,
        wait == null ? null : wait.requestId(),
        wait == null ? 0 : wait.polls(),
        wait == null ? null : wait.providerState(),
        rows,
        bytes);
  }

  private WaitState submit(Run run) {
    long started = Workflow.currentTimeMillis();
    String watermark = null;
    String watermarkEnd = null;
    WindowRange replaced = null;
    IncrementalSpec incremental = run.spec.incremental();
    // Added with window ranges; histories recorded before keep the old way of reading.
    windowed = Workflow.getVersion("window-ranges", Workflow.DEFAULT_VERSION, 1) >= 1;
    if (windowed) {
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
      watermark =
          summarized(
                  ParquetSinkActivities.class,
                  ActivityProfiles.SINK_CALL,
                  "read the watermark of " + run.table.path())
              .readWatermark(new WatermarkRequest(run.table))
              .watermark();
      if (watermark == null) {
        watermark = incremental.initial();
      }
    }
    Map<String, String> vars = run.baseVars(watermark, watermarkEnd);
    SubmitResult submitted =
        summarized(
                HttpJobActivities.class, ActivityProfiles.SHORT_CALL, "submit to " + run.provider)
            .submit(
                new SubmitRequest(
                    run.key,
                    run.source,
                    vars,
                    // Submit only ever happens in the first run of a chain (later runs carry the
                    // request ID), so this run's ID is stable across every retry of the submit.
                    RunKeys.receipt(run.table, run.key, Workflow.getInfo().getRunId())));
    if (submitted.reused()) {
      log.info("reusing provider job {} submitted by an earlier attempt", submitted.requestId());
    }
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
        windowed,
        watermarkEnd,
        replaced);
  }

  /** Claims the window; see {@link WindowClaims#open}. */
  private OpenWindowResult openWindow(Run run) {
    OpenWindowResult opened =
        WindowClaims.open(
            new OpenWindowRequest(
                run.table, run.key, run.logicalDate, run.holder(), run.watermarkColumn()),
            run.source.status().timeout(),
            "source.status.timeout");
    windowHeld = true;
    return opened;
  }

  /** What the publish records as the window's range: a re-run keeps the one it re-read. */
  private WindowCommit commitOf(Run run, ExtractResult extracted) {
    String from = run.watermarkColumn() == null ? null : wait.watermark();
    String to;
    if (run.watermarkColumn() == null) {
      to = null;
    } else if (wait.replaced() != null) {
      to = wait.replaced().to();
    } else {
      to = extracted.maxWatermark() != null ? extracted.maxWatermark() : from;
    }
    return new WindowCommit(
        run.key,
        run.logicalDate,
        run.holder(),
        Workflow.getInfo().getRunId(),
        run.watermarkColumn(),
        from,
        to);
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

  /**
   * Polls on durable timers until ready; throws when the provider fails or the wait times out.
   *
   * <p>The pipeline's timeout is the user's deadline, and no status check outlives it: each check,
   * its retries included, is given only the time left (see {@link
   * ActivityProfiles#shortCallWithin}). A check that runs out of that time without an answer is
   * not a failure of the run by itself: the loop waits as after any check, and once the deadline
   * has passed the run times out (abort, clean-up) naming the status endpoint's last error.
   */
  private void waitUntilReady(Run run) {
    int pollsThisRun = 0;
    String statusError = null;
    while (true) {
      ActivityOptions check =
          ActivityProfiles.shortCallWithin(
              Duration.ofMillis(wait.deadlineMillis() - Workflow.currentTimeMillis()));
      StatusResult status = null;
      try {
        status =
            summarized(
                    HttpJobActivities.class,
                    check,
                    "check job " + wait.requestId() + " at " + run.provider)
                .checkStatus(new StatusRequest(run.source, run.vars(wait)));
      } catch (ActivityFailure e) {
        // Out of time before the deadline is the wait's timeout; anything else (a non-retryable
        // error, or the check's own 15 minutes spent long before the deadline) fails the run.
        if (!ActivityProfiles.boundedByDeadline(check)
            || e.getRetryState() != RetryState.RETRY_STATE_TIMEOUT) {
          throw e;
        }
        statusError = lastError(e);
      }
      pollsThisRun++;
      Duration sleep = wait.nextInterval();
      if (status != null) {
        statusError = null;
        wait = wait.afterPoll(status.state(), grow(sleep, run));
        switch (status.outcome()) {
          case READY:
            return;
          case FAILED:
            throw ApplicationFailure.newNonRetryableFailure(
                "provider job "
                    + wait.requestId()
                    + " failed (state '"
                    + status.state()
                    + "'): "
                    + (status.errorMessage() == null
                        ? "no error message given"
                        : status.errorMessage()),
                FailureTypes.PROVIDER_JOB_FAILED);
          default:
            break;
        }
      }
      long remaining = wait.deadlineMillis() - Workflow.currentTimeMillis();
      if (remaining <= 0) {
        throw waitTimedOut(run, statusError);
      }
      Workflow.sleep(Duration.ofMillis(Math.min(sleep.toMillis(), remaining)));
      if (pollsThisRun >= MAX_POLLS_PER_RUN || Workflow.getInfo().isContinueAsNewSuggested()) {
        Workflow.continueAsNew(
            new AsyncIngestInput(run.spec, run.logicalDate, wait, upsertStage, replay, run.extra));
      }
    }
  }

  private static Duration grow(Duration interval, Run run) {
    long next = (long) (interval.toMillis() * run.source.status().backoff());
    return Duration.ofMillis(Math.min(next, run.source.status().maxInterval().toMillis()));
  }

  /**
   * Aborts the job and says why the wait ended: the provider's last state, and the status
   * endpoint's last error when the last check could not get an answer before the deadline.
   */
  private ApplicationFailure waitTimedOut(Run run, String statusError) {
    List<String> problems = cleanUp(run, true);
    String message =
        "provider job "
            + wait.requestId()
            + " was not ready within source.status.timeout ("
            + DurationText.of(run.source.status().timeout())
            + ")"
            + (wait.polls() == 0
                ? "; no status check was answered; "
                : " after "
                    + wait.polls()
                    + " status checks; last state '"
                    + wait.providerState()
                    + "'; ")
            + (statusError == null
                ? ""
                : "the last status check got no answer before the deadline: "
                    + statusError
                    + "; ")
            + (problems.isEmpty()
                ? (run.source.cleanup().abort() != null
                    ? "the job was aborted"
                    : "no abort request is defined (source.cleanup.abort)")
                : "clean-up failed: " + String.join("; ", problems));
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.WAIT_TIMEOUT);
  }

  /**
   * The last attempt's own error under a check that ran out of time: a schedule-to-close timeout
   * wraps it in a {@link TimeoutFailure}; retries that stopped short of the deadline carry it
   * directly. A check whose attempts all timed out has no error but the timeout itself.
   */
  private static String lastError(ActivityFailure e) {
    Throwable t = e.getCause();
    while (t instanceof TimeoutFailure && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof TimeoutFailure timeout) {
      return "no answer (" + timeout.getTimeoutType() + ")";
    }
    return rootMessage(t);
  }

  /**
   * Leaves nothing behind: aborts a live provider job, or deletes a finished one (its result was
   * not published), and discards the run's staging. Returns what could not be cleaned up, so the
   * run's failure can say so; never throws over the failure that brought us here.
   */
  private List<String> cleanUp(Run run, boolean providerLive) {
    List<String> problems = new ArrayList<>();
    if (cleanedUp) {
      return problems;
    }
    cleanedUp = true;
    if (wait != null && providerLive && run.source.cleanup().abort() != null) {
      try {
        summarized(
                HttpJobActivities.class,
                ActivityProfiles.CLEANUP,
                "abort job " + wait.requestId() + " at " + run.provider)
            .abort(new CleanupRequest(run.source, run.vars(wait)));
      } catch (ActivityFailure e) {
        problems.add("abort of provider job " + wait.requestId() + " failed: " + rootMessage(e));
      }
    } else if (wait != null
        && !providerLive
        && run.source.cleanup().delete() != null
        // Added after 0.1 histories were recorded: runs that failed before it keep their path.
        && Workflow.getVersion("delete-unpublished-job", Workflow.DEFAULT_VERSION, 1) >= 1) {
      try {
        summarized(
                HttpJobActivities.class,
                ActivityProfiles.CLEANUP,
                "delete job " + wait.requestId() + " at " + run.provider)
            .delete(new CleanupRequest(run.source, run.vars(wait)));
      } catch (ActivityFailure e) {
        problems.add("delete of provider job " + wait.requestId() + " failed: " + rootMessage(e));
      }
    }
    if (windowed && !windowHeld) {
      // Refused before holding the window: its staging belongs to the run that holds it.
      return problems;
    }
    try {
      summarized(
              ParquetSinkActivities.class,
              ActivityProfiles.SINK_CALL,
              "discard staging " + run.staging)
          .discardStaging(new DiscardRequest(run.table, run.staging));
    } catch (ActivityFailure e) {
      problems.add("discarding staging " + run.staging + " failed: " + rootMessage(e));
    }
    if (windowHeld) {
      String problem =
          WindowClaims.release(new ReleaseWindowRequest(run.table, run.key, run.holder()));
      windowHeld = false;
      if (problem != null) {
        problems.add(problem);
      }
    }
    return problems;
  }

  /** A publish that happened, when, and whether the provider job could be deleted after it. */
  private record Published(PublishResult result, long atMillis, String cleanupWarning) {}

  private Published publishAndRelease(Run run, PublishRequest publish) {
    PublishResult result;
    try {
      result =
          summarized(
                  ParquetSinkActivities.class,
                  ActivityProfiles.SINK_CALL,
                  "publish to " + run.table.path())
              .publish(publish);
    } catch (ActivityFailure e) {
      countPublish(run, "failed");
      throw e;
    }
    countPublish(run, "published");
    long at = Workflow.currentTimeMillis();
    enter(Stage.CLEANING_UP);
    return new Published(result, at, deleteProviderJob(run));
  }

  /**
   * Deletes the provider job after success, if the source says how; a failure is reported, not
   * fatal.
   */
  private String deleteProviderJob(Run run) {
    if (run.source.cleanup().delete() == null) {
      return null;
    }
    try {
      summarized(
              HttpJobActivities.class,
              ActivityProfiles.CLEANUP,
              "delete job " + wait.requestId() + " at " + run.provider)
          .delete(new CleanupRequest(run.source, run.vars(wait)));
      return null;
    } catch (ActivityFailure e) {
      String warning =
          "the data is published, but deleting provider job "
              + wait.requestId()
              + " failed: "
              + rootMessage(e);
      log.warn(warning);
      return warning;
    }
  }

  /**
   * Timer of the wait from the completed submit to the provider's "ready", by {@code pipeline};
   * Prometheus: {@code sluice_provider_wait_seconds}. Recorded here because only the workflow sees
   * the whole wait (it spans continue-as-new). Not tagged {@code provider}: the URL's host is often
   * a secret reference only activities resolve; the dashboard joins the host in from {@code
   * sluice_status_polls_total}, which the status check tags with both.
   */
  static final String PROVIDER_WAIT_METRIC = "sluice_provider_wait";

  /**
   * Counter of publishes by {@code pipeline} and {@code outcome}; Prometheus: {@code
   * sluice_publish_total}.
   */
  static final String PUBLISH_METRIC = "sluice_publish";

  /**
   * The workflow's metrics scope tagged with the pipeline. {@code Workflow.getMetricsScope()}
   * records nothing while a task is replayed, so a run rebuilt from history counts nothing twice.
   */
  private static com.uber.m3.tally.Scope metrics(Run run) {
    return Workflow.getMetricsScope().tagged(Map.of("pipeline", run.spec.name()));
  }

  private void recordProviderWait(Run run, long readyAt) {
    long submitted = wait.startedMillis() + wait.submitMillis();
    metrics(run)
        .timer(PROVIDER_WAIT_METRIC)
        .record(com.uber.m3.util.Duration.ofMillis(Math.max(0, readyAt - submitted)));
  }

  private static void countPublish(Run run, String outcome) {
    metrics(run).tagged(Map.of("outcome", outcome)).counter(PUBLISH_METRIC).inc(1);
  }

  private static boolean isProviderFailed(TemporalFailure e) {
    return e instanceof ApplicationFailure a
        && FailureTypes.PROVIDER_JOB_FAILED.equals(a.getType());
  }

  private static TemporalFailure withCleanupProblems(TemporalFailure e, List<String> problems) {
    // A failed child (the platform batch) is reported by its own message, as an activity's is.
    if (problems.isEmpty() && !(e instanceof ChildWorkflowFailure)) {
      return e;
    }
    String type = e instanceof ApplicationFailure a ? a.getType() : rootType(e);
    String message =
        problems.isEmpty()
            ? rootMessage(e)
            : rootMessage(e) + "; clean-up also failed: " + String.join("; ", problems);
    return ApplicationFailure.newNonRetryableFailureWithCause(message, type, e);
  }

  /** What every step of one run derives from its input and workflow ID. */
  private static final class Run {
    final PipelineSpec spec;
    final String logicalDate;
    final AsyncHttpSource source;
    final ParquetSink table;
    final String id;

    /** {@code ingest/<pipeline>/<logical-date>}: the window, whichever workflow ID runs it. */
    final String windowId;

    final String key;

    /** The window's start: its logical date less the pipeline's window. */
    final String windowStart;

    final String staging;
    final String firstRunId;

    /** Extra template variables from the input (a work unit's value). */
    final Map<String, String> extra;

    /** The provider's host for activity summaries. */
    final String provider;

    Run(AsyncIngestInput input) {
      this.spec = input.pipeline();
      this.logicalDate = input.logicalDate() != null ? input.logicalDate() : scheduledTime();
      String host = SearchAttributes.providerHost(spec);
      this.provider = host != null ? host : "the provider";
      this.source = (AsyncHttpSource) spec.source();
      this.table = spec.sink().table();
      this.id = Workflow.getInfo().getWorkflowId();
      // Files derive from the window (pipeline and logical date), not from the workflow ID: a
      // scheduled run (ID ingest/<p>-<time>) and a manual run of the same window
      // (ingest/<p>/<date>) overwrite each other's files instead of duplicating rows.
      this.windowId = TaskQueues.ingestWorkflowId(spec.name(), logicalDate);
      this.key = RunKeys.of(windowId);
      this.windowStart = Windows.start(logicalDate, spec.window());
      this.staging = RunKeys.staging(table, key);
      this.firstRunId = Workflow.getInfo().getFirstExecutionRunId();
      this.extra = input.vars();
    }

    /**
     * The logical date of a run started without one (by a Schedule): the time Temporal scheduled it
     * for, so a backfill or a late start still covers its own window; failing that, when the run
     * started. Both are fixed in history, so replay resolves the same date; neither adds a command.
     */
    private static String scheduledTime() {
      java.time.OffsetDateTime scheduled =
          Workflow.getTypedSearchAttributes().get(SearchAttributes.SCHEDULED_START_TIME);
      if (scheduled != null) {
        return scheduled.toInstant().toString();
      }
      return java.time.Instant.ofEpochMilli(Workflow.currentTimeMillis())
          .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
          .toString();
    }

    String watermarkColumn() {
      return spec.incremental() == null ? null : spec.incremental().column();
    }

    /** The run as a lease holder: stable across retries and continue-as-new. */
    Holder holder() {
      return new Holder(id, firstRunId);
    }

    Map<String, String> baseVars(String watermark, String watermarkEnd) {
      // Extra variables first, so the run's own always win (validation forbids such names anyway).
      Map<String, String> vars = new LinkedHashMap<>(extra);
      vars.put(TemplateVariables.PIPELINE, spec.name());
      vars.put(TemplateVariables.LOGICAL_DATE, logicalDate);
      vars.put(TemplateVariables.WINDOW_START, windowStart);
      vars.put(TemplateVariables.WINDOW_END, logicalDate);
      vars.put(TemplateVariables.RUN_ID, id);
      // Unique to this run of the window, the same for every retry of its submit: what a
      // provider's idempotency key should be. (The workflow ID alone repeats when a window is
      // run again.)
      vars.put(TemplateVariables.IDEMPOTENCY_KEY, id + "/" + firstRunId);
      if (watermark != null) {
        vars.put(TemplateVariables.WATERMARK, watermark);
      }
      if (watermarkEnd != null) {
        vars.put(TemplateVariables.WATERMARK_END, watermarkEnd);
      }
      return vars;
    }

    Map<String, String> vars(WaitState w) {
      Map<String, String> vars = baseVars(w.watermark(), w.watermarkEnd());
      vars.put(TemplateVariables.REQUEST_ID, w.requestId());
      return vars;
    }
  }
}
