package dev.sluice.workflows.filedownload;

import static dev.sluice.workflows.common.Failures.rootMessage;
import static dev.sluice.workflows.common.Failures.rootType;

import dev.sluice.pipeline.FilesSource;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.TemplateVariables;
import dev.sluice.workflows.activities.FailureTypes;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.SearchAttributes;
import dev.sluice.workflows.common.TaskQueues;
import dev.sluice.workflows.common.WindowClaims;
import dev.sluice.workflows.common.Windows;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DiscardIncomingRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadMessages.FileFailure;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadProgress.Stage;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/** See {@link FileDownloadWorkflow}. Deterministic: every effect is an activity. */
public final class FileDownloadWorkflowImpl implements FileDownloadWorkflow {
  private static final Logger log = Workflow.getLogger(FileDownloadWorkflowImpl.class);

  /** Failures kept (and reported) by name; the rest are counted. */
  static final int KEPT_FAILURES = 20;

  /**
   * Download activities one execution starts before it continues as new. Each adds about half a
   * dozen events (scheduled, started, completed and its share of workflow tasks), so an execution
   * stays near 3,000 events, far below Temporal's 50,000 limit and quick to replay.
   */
  static final int RANGES_PER_EXECUTION = 500;

  private Stage stage = Stage.LISTING;
  private boolean upsertStage;
  private FileDownloadState state;

  /**
   * Whether this run's chain holds its window's lease ({@code _sluice/leases/window-<run key>.json}
   * beside the landing), so it must release it when it ends. Two runs of one window (a scheduled
   * and a manual one share the run key) would share the staging list and the part files.
   */
  private boolean windowHeld;

  @Override
  public FileDownloadResult run(FileDownloadInput input) {
    Run run = new Run(input);
    upsertStage = input.upsertStage();
    state = input.state();
    // Added after the first file downloads ran; an execution continued as new holds the lease its
    // chain claimed (releasing one it does not hold does nothing).
    boolean leased = Workflow.getVersion("window-lease", Workflow.DEFAULT_VERSION, 1) >= 1;
    try {
      if (state == null && leased) {
        WindowClaims.claim(
            new OpenWindowRequest(run.table, run.key, run.logicalDate, run.holder(), null));
      }
      windowHeld = leased;
      if (state == null) {
        enter(Stage.LISTING);
        ListFilesResult listed =
            stub(
                    FileListingActivities.class,
                    FileDownloadProfiles.LISTING,
                    "list the files of " + run.sourceName())
                .listSourceFiles(new ListFilesRequest(run.source, run.listingUri, run.vars()));
        state =
            new FileDownloadState(
                listed.listingUri(),
                listed.files(),
                rangeSize(listed.files(), run.source),
                0,
                0,
                0,
                0,
                0,
                List.of(),
                1);
      } else {
        state = withExecutions(state, state.executions() + 1);
      }

      enter(Stage.DOWNLOADING);
      download(run);
      if (state.next() < state.listed()) {
        // Everything this execution started has finished; the next one starts at the cursor.
        log.info("continuing as new at file {} of {}", state.next(), state.listed());
        Workflow.continueAsNew(input.continuing(run.logicalDate, state));
      }

      enter(Stage.CLEANING_UP);
      discard(run);
      release(run);
      if (state.failed() > 0) {
        enter(Stage.FAILED);
        throw filesFailed(run);
      }
      enter(Stage.DONE);
      return new FileDownloadResult(
          run.landing,
          state.listingUri(),
          state.listed(),
          state.downloaded(),
          state.skipped(),
          state.bytes(),
          state.executions());
    } catch (CanceledFailure e) {
      cleanUpAfterCancel(run);
      throw e;
    } catch (TemporalFailure e) {
      if (CancellationScope.current().isCancelRequested()) {
        // An activity cancelled with the run fails as ActivityFailure: still a cancellation.
        cleanUpAfterCancel(run);
        throw new CanceledFailure("cancelled: " + rootMessage(e));
      }
      if (stage != Stage.FAILED) {
        enter(Stage.CLEANING_UP);
        if (isWindowBusy(e)) {
          // Refused: the part files and the lease are the other run's.
          windowHeld = false;
        } else {
          discard(run);
        }
        release(run);
        enter(Stage.FAILED);
      }
      throw e;
    }
  }

  @Override
  public FileDownloadProgress progress() {
    if (state == null) {
      return new FileDownloadProgress(stage, 0, 0, 0, 0, 0);
    }
    return new FileDownloadProgress(
        stage, state.listed(), state.downloaded(), state.skipped(), state.failed(), state.bytes());
  }

  /**
   * Step 2: hands out index ranges to download activities, at most {@code maxParallel} in flight,
   * until the listing is done or this execution has started {@link #RANGES_PER_EXECUTION} (or
   * Temporal suggests continuing as new); then waits for those in flight.
   */
  private void download(Run run) {
    int limit = Math.max(1, run.source.maxParallel());
    List<Promise<DownloadFilesResult>> inFlight = new ArrayList<>(limit);
    List<int[]> inFlightRanges = new ArrayList<>(limit);
    int started = 0;
    while (true) {
      while (inFlight.size() < limit
          && state.next() < state.listed()
          && started < RANGES_PER_EXECUTION
          && !Workflow.getInfo().isContinueAsNewSuggested()) {
        int from = state.next();
        int to = Math.min(state.listed(), from + state.rangeSize());
        FileDownloadActivities downloads =
            stub(
                FileDownloadActivities.class,
                ActivityProfiles.LONG_TRANSFER,
                "download files " + from + ".." + (to - 1) + " of " + state.listed());
        inFlight.add(
            Async.function(
                downloads::downloadListedFiles,
                new DownloadFilesRequest(
                    run.source,
                    state.listingUri(),
                    from,
                    to,
                    run.landing,
                    run.incoming,
                    run.vars())));
        inFlightRanges.add(new int[] {from, to});
        state = advance(state, to);
        started++;
      }
      if (inFlight.isEmpty()) {
        return;
      }
      // Not anyOf(..).get(), which would throw a failed range out of here: each range's outcome
      // is counted below, and the other ranges go on.
      Promise.anyOf(inFlight).handle((value, failure) -> null).get();
      for (int i = inFlight.size() - 1; i >= 0; i--) {
        Promise<DownloadFilesResult> p = inFlight.get(i);
        if (!p.isCompleted()) {
          continue;
        }
        int[] range = inFlightRanges.get(i);
        inFlight.remove(i);
        inFlightRanges.remove(i);
        try {
          count(p.get());
        } catch (ActivityFailure e) {
          if (CancellationScope.current().isCancelRequested()) {
            throw e;
          }
          countFailedRange(range[0], range[1], e);
        }
      }
    }
  }

  private void count(DownloadFilesResult r) {
    List<FileFailure> kept = new ArrayList<>(state.failures());
    for (FileFailure f : r.failures()) {
      if (kept.size() < KEPT_FAILURES) {
        kept.add(f);
      }
    }
    state =
        new FileDownloadState(
            state.listingUri(),
            state.listed(),
            state.rangeSize(),
            state.next(),
            state.downloaded() + r.downloaded(),
            state.skipped() + r.skipped(),
            state.bytes() + r.bytes(),
            state.failed() + r.failures().size(),
            kept,
            state.executions());
  }

  /** A range whose activity failed for good: its files count as failed (some may have landed). */
  private void countFailedRange(int from, int to, ActivityFailure e) {
    List<FileFailure> kept = new ArrayList<>(state.failures());
    if (kept.size() < KEPT_FAILURES) {
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
    state =
        new FileDownloadState(
            state.listingUri(),
            state.listed(),
            state.rangeSize(),
            state.next(),
            state.downloaded(),
            state.skipped(),
            state.bytes(),
            state.failed() + (to - from),
            kept,
            state.executions());
  }

  private ApplicationFailure filesFailed(Run run) {
    StringBuilder b =
        new StringBuilder()
            .append(state.failed())
            .append(" of ")
            .append(state.listed())
            .append(" files did not land in ")
            .append(run.landing)
            .append(" (")
            .append(state.downloaded())
            .append(" downloaded, ")
            .append(state.skipped())
            .append(" already there); run again to fetch only those: ");
    List<String> each = new ArrayList<>();
    for (FileFailure f : state.failures()) {
      each.add(f.message());
    }
    b.append(String.join("; ", each));
    if (state.failed() > state.failures().size()) {
      b.append("; and ").append(state.failed() - state.failures().size()).append(" more");
    }
    return ApplicationFailure.newNonRetryableFailure(
        b.toString(), FileDownloadFailures.FILES_FAILED);
  }

  /**
   * Files per download activity: {@code filesPerTask}, or fewer when the listing is short, so that
   * {@code maxParallel} activities still share it.
   */
  static int rangeSize(int files, FilesSource source) {
    int parallel = Math.max(1, source.maxParallel());
    int even = (files + parallel - 1) / parallel;
    return Math.max(1, Math.min(Math.max(1, source.filesPerTask()), even));
  }

  private static FileDownloadState advance(FileDownloadState s, int next) {
    return new FileDownloadState(
        s.listingUri(),
        s.listed(),
        s.rangeSize(),
        next,
        s.downloaded(),
        s.skipped(),
        s.bytes(),
        s.failed(),
        s.failures(),
        s.executions());
  }

  private static FileDownloadState withExecutions(FileDownloadState s, int executions) {
    return new FileDownloadState(
        s.listingUri(),
        s.listed(),
        s.rangeSize(),
        s.next(),
        s.downloaded(),
        s.skipped(),
        s.bytes(),
        s.failed(),
        s.failures(),
        executions);
  }

  private void cleanUpAfterCancel(Run run) {
    enter(Stage.CLEANING_UP);
    Workflow.newDetachedCancellationScope(
            () -> {
              discard(run);
              release(run);
            })
        .run();
    enter(Stage.FAILED);
  }

  /** Releases the window's lease if this run holds it; a failure only warns. */
  private void release(Run run) {
    if (!windowHeld) {
      return;
    }
    windowHeld = false;
    String problem =
        WindowClaims.release(new ReleaseWindowRequest(run.table, run.key, run.holder()));
    if (problem != null) {
      log.warn(problem);
    }
  }

  private static boolean isWindowBusy(TemporalFailure e) {
    return FailureTypes.WINDOW_BUSY.equals(rootType(e));
  }

  /** Deletes the run's part files; a failure only warns, it never hides the run's outcome. */
  private void discard(Run run) {
    try {
      stub(
              FileDownloadActivities.class,
              ActivityProfiles.SINK_CALL,
              "discard part files " + run.incoming)
          .discardIncomingFiles(new DiscardIncomingRequest(run.incoming));
    } catch (ActivityFailure e) {
      log.warn("discarding {} failed: {}", run.incoming, rootMessage(e));
    }
  }

  private void enter(Stage next) {
    stage = next;
    if (upsertStage) {
      Workflow.upsertTypedSearchAttributes(SearchAttributes.STAGE.valueSet(next.name()));
    }
  }

  private static <T> T stub(Class<T> type, ActivityOptions profile, String summary) {
    return Workflow.newActivityStub(
        type, ActivityOptions.newBuilder(profile).setSummary(summary).build());
  }

  /** What every step derives from the input and the workflow's info. */
  private static final class Run {
    final PipelineSpec spec;
    final FilesSource source;
    final String logicalDate;
    final String windowId;
    final String key;
    final String landing;
    final ParquetSink table;
    final String firstRunId;
    final String listingUri;
    final String incoming;
    final String idempotencyKey;

    Run(FileDownloadInput input) {
      this.spec = input.pipeline();
      this.source = (FilesSource) spec.source();
      this.logicalDate = input.logicalDate() != null ? input.logicalDate() : scheduledTime();
      this.windowId = TaskQueues.ingestWorkflowId(spec.name(), logicalDate);
      this.key = RunKeys.of(windowId);
      this.table = spec.sink().table();
      this.landing = table.path();
      this.firstRunId = Workflow.getInfo().getFirstExecutionRunId();
      this.listingUri = FileDownloadPaths.listing(landing, key);
      this.incoming = FileDownloadPaths.incoming(landing, key);
      // As for a submit: unique to this run of the window, the same across continue-as-new.
      this.idempotencyKey = windowId + "/" + Workflow.getInfo().getFirstExecutionRunId();
    }

    /** The run as a lease holder: stable across retries and continue-as-new. */
    Holder holder() {
      return new Holder(Workflow.getInfo().getWorkflowId(), firstRunId);
    }

    String sourceName() {
      if (source.httpListing()) {
        String host = SearchAttributes.host(source.listing().url());
        return host != null ? host : "the listing endpoint";
      }
      return source.prefix();
    }

    Map<String, String> vars() {
      Map<String, String> vars = new LinkedHashMap<>();
      vars.put(TemplateVariables.PIPELINE, spec.name());
      vars.put(TemplateVariables.LOGICAL_DATE, logicalDate);
      vars.put(TemplateVariables.WINDOW_START, Windows.start(logicalDate, spec.window()));
      vars.put(TemplateVariables.WINDOW_END, logicalDate);
      vars.put(TemplateVariables.RUN_ID, windowId);
      vars.put(TemplateVariables.IDEMPOTENCY_KEY, idempotencyKey);
      return vars;
    }

    /** As {@code AsyncIngestWorkflowImpl}: the scheduled time, else the start, fixed in history. */
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
  }
}
