package dev.sluice.workflows.filedownload;

import static dev.sluice.workflows.common.Failures.rootType;

import dev.sluice.pipeline.FilesSource;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.Failures;
import dev.sluice.workflows.common.InFlight;
import dev.sluice.workflows.common.Landing;
import dev.sluice.workflows.common.RunDetails;
import dev.sluice.workflows.common.StageTracker;
import dev.sluice.workflows.common.Stubs;
import dev.sluice.workflows.common.WindowClaims;
import dev.sluice.workflows.common.WindowLease;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DiscardIncomingRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadProgress.Stage;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.List;
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

  private final StageTracker<Stage> stage = new StageTracker<>(Stage.LISTING);
  private FileDownloadState state;

  /**
   * Whether this run's chain holds its window's lease ({@code _sluice/leases/window-<run key>.json}
   * beside the landing), so it must release it when it ends. Two runs of one window (a scheduled
   * and a manual one share the run key) would share the staging list and the part files.
   */
  private final WindowLease window = new WindowLease();

  @Override
  public FileDownloadResult run(FileDownloadInput input) {
    FileDownloadRun run = new FileDownloadRun(input);
    stage.startWindow(input.upsertStage(), this::details, run.logicalDate);
    state = input.state();
    // Added after the first file downloads ran; an execution continued as new holds the lease its
    // chain claimed (releasing one it does not hold does nothing).
    boolean leased = Workflow.getVersion("window-lease", Workflow.DEFAULT_VERSION, 1) >= 1;
    Landing landing =
        Landing.newBuilder((failure, cancelled) -> cleanUpAfter(run, failure, cancelled)).build();
    return landing.run(() -> download(run, input, leased));
  }

  /** The run's steps: claim the window, list, download, clean up. */
  private FileDownloadResult download(
      FileDownloadRun run, FileDownloadInput input, boolean leased) {
    if (state == null && leased) {
      WindowClaims.claim(
          new OpenWindowRequest(run.table, run.key, run.logicalDate, run.holder(), null));
    }
    window.windowed(false, leased);
    if (state == null) {
      stage.enter(Stage.LISTING);
      ListFilesResult listed =
          Stubs.summarized(
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
      state = state.withExecutions(state.executions() + 1);
    }

    stage.enter(Stage.DOWNLOADING);
    downloadRanges(run);
    if (state.next() < state.listed()) {
      // Everything this execution started has finished; the next one starts at the cursor.
      log.info("continuing as new at file {} of {}", state.next(), state.listed());
      Workflow.continueAsNew(input.withLogicalDate(run.logicalDate).withState(state));
    }

    stage.enter(Stage.CLEANING_UP);
    discard(run);
    release(run);
    if (state.failed() > 0) {
      stage.enter(Stage.FAILED);
      throw ApplicationFailure.newNonRetryableFailure(
          state.failureMessage(run.landing), FailureType.FILES_FAILED.type());
    }
    stage.enter(Stage.DONE);
    return new FileDownloadResult(
        run.landing,
        state.listingUri(),
        state.listed(),
        state.downloaded(),
        state.skipped(),
        state.bytes(),
        state.executions());
  }

  /**
   * After a failure or a cancellation: the part files are discarded and the window released,
   * unless the run failed after cleaning up (files that did not land), or was refused the window
   * (its part files and lease are the other run's).
   */
  private List<String> cleanUpAfter(
      FileDownloadRun run, TemporalFailure failure, boolean cancelled) {
    if (!cancelled && stage.current() == Stage.FAILED) {
      return List.of();
    }
    stage.enter(Stage.CLEANING_UP);
    if (!cancelled && isWindowBusy(failure)) {
      window.refused();
    } else {
      discard(run);
    }
    release(run);
    stage.enter(Stage.FAILED);
    return List.of();
  }

  /** What the Web UI shows as the run's current details. */
  private RunDetails details() {
    FileDownloadProgress p = progress();
    return RunDetails.of(p.stage())
        .ofTotal("Files downloaded", p.downloaded(), p.listed())
        .count("Files skipped", p.skipped())
        .count("Files failed", p.failed())
        .bytes(p.bytes());
  }

  @Override
  public FileDownloadProgress progress() {
    if (state == null) {
      return new FileDownloadProgress(stage.current(), 0, 0, 0, 0, 0);
    }
    return new FileDownloadProgress(
        stage.current(),
        state.listed(),
        state.downloaded(),
        state.skipped(),
        state.failed(),
        state.bytes());
  }

  /**
   * Step 2: hands out index ranges to download activities, at most {@code maxParallel} in flight,
   * until the listing is done or this execution has started {@link #RANGES_PER_EXECUTION} (or
   * Temporal suggests continuing as new); then waits for those in flight.
   */
  private void downloadRanges(FileDownloadRun run) {
    int limit = Math.max(1, run.source.maxParallel());
    InFlight<int[], DownloadFilesResult> inFlight = new InFlight<>();
    int started = 0;
    while (true) {
      while (inFlight.size() < limit
          && state.next() < state.listed()
          && started < RANGES_PER_EXECUTION
          && !Workflow.getInfo().isContinueAsNewSuggested()) {
        int from = state.next();
        int to = Math.min(state.listed(), from + state.rangeSize());
        FileDownloadActivities downloads =
            Stubs.summarized(
                FileDownloadActivities.class,
                ActivityProfiles.LONG_TRANSFER,
                "download files " + from + ".." + (to - 1) + " of " + state.listed());
        inFlight.add(
            new int[] {from, to},
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
        state = state.withNext(to);
        started++;
      }
      if (inFlight.isEmpty()) {
        return;
      }
      // Each range's outcome is counted, and the other ranges go on.
      inFlight.awaitAny(
          new InFlight.Ended<>() {
            @Override
            public void succeeded(int[] range, DownloadFilesResult result) {
              state = state.plus(result, KEPT_FAILURES);
              stage.refresh();
            }

            @Override
            public void failed(int[] range, ActivityFailure e) {
              if (CancellationScope.current().isCancelRequested()) {
                throw e;
              }
              state = state.plusFailedRange(range[0], range[1], e, KEPT_FAILURES);
              stage.refresh();
            }
          });
    }
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

  /** Releases the window's lease if this run holds it; a failure only warns. */
  private void release(FileDownloadRun run) {
    String problem = window.release(new ReleaseWindowRequest(run.table, run.key, run.holder()));
    if (problem != null) {
      log.warn(problem);
    }
  }

  private static boolean isWindowBusy(TemporalFailure e) {
    return FailureType.WINDOW_BUSY.type().equals(rootType(e));
  }

  /** Deletes the run's part files; a failure only warns, it never hides the run's outcome. */
  private void discard(FileDownloadRun run) {
    String problem =
        Failures.problemOf(
            () ->
                Stubs.summarized(
                        FileDownloadActivities.class,
                        ActivityProfiles.SINK_CALL,
                        "discard part files " + run.incoming)
                    .discardIncomingFiles(new DiscardIncomingRequest(run.incoming)));
    if (problem != null) {
      log.warn("discarding {} failed: {}", run.incoming, problem);
    }
  }

}
