package dev.sluice.workflows.batchegress;

import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.workflows.activities.PlatformBatchActivities;
import dev.sluice.workflows.activities.PlatformMessages.BatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.BatchStatusResult;
import dev.sluice.workflows.activities.PlatformMessages.CreateBatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.RecordSentBatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.SentBatchesRequest;
import dev.sluice.workflows.activities.PlatformMessages.UploadRequest;
import dev.sluice.workflows.activities.PlatformMessages.UploadResult;
import dev.sluice.workflows.batchegress.EgressProgress.Stage;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.DurationText;
import dev.sluice.workflows.common.Failures;
import dev.sluice.workflows.common.Landing;
import dev.sluice.workflows.common.RunDetails;
import dev.sluice.workflows.common.StageTracker;
import dev.sluice.workflows.common.Stubs;
import dev.sluice.workflows.common.Timers;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;

/** See {@link BatchEgressWorkflow}. Deterministic: every effect is an activity or a timer. */
public final class BatchEgressWorkflowImpl implements BatchEgressWorkflow {
  private static final Logger log = Workflow.getLogger(BatchEgressWorkflowImpl.class);

  private final StageTracker<Stage> stage = new StageTracker<>(Stage.CREATING);
  private String batchId;
  private int filesTotal;
  private int filesUploaded;
  private long bytes;

  /** When the next status check is due, while waiting; shown in the run's details. */
  private long nextCheckMillis;

  /** Set once the batch is complete; carried across continue-as-new. */
  private EgressState state;

  /** The platform reported the batch final (success or failure): it must not be aborted. */
  private boolean batchFinal;

  /** Set once an abort was attempted, so no failure path aborts twice. */
  private boolean abortAttempted;

  @Override
  public BatchEgressResult run(BatchEgressInput input) {
    PlatformBatchSink sink = input.sink();
    // Validated before the batch exists, so a bad input leaves nothing on the platform.
    List<String> names = BatchFileNames.of(input.fileUris());
    filesTotal = names.size();
    stage.describedBy(this::details);
    stage.refresh();
    state = input.resumed();
    if (state != null) {
      batchId = state.batchId();
      filesUploaded = state.files().size();
      bytes = state.bytes();
      stage.enter(Stage.WAITING);
    }
    Landing landing =
        Landing.newBuilder((failure, cancelled) -> abortAfter(sink))
            .cancelledMessage(failure -> "cancelled while sending batch " + batchId)
            .problemsPrefix("aborting the batch also failed: ")
            .build();
    BatchEgressInput given = input;
    return landing.run(() -> send(given, names));
  }

  /** The run's steps: create the batch, upload every file, complete it, wait until it is final. */
  private BatchEgressResult send(BatchEgressInput input, List<String> names) {
    PlatformBatchSink sink = input.sink();
    if (state == null && input.recordUri() != null) {
      // A window sent before: its batch is superseded (the platform's replay block), not
      // duplicated. Only inputs with a record URI (newer than the recorded histories) get here.
      input =
          input.replacing(
              stub(ActivityProfiles.SHORT_CALL, "look up the batch this window was sent as")
                  .sentBatches(new SentBatchesRequest(sink, input.recordUri()))
                  .batchIds());
    }
    final BatchEgressInput egress = input;
    if (state == null) {
      long started = Workflow.currentTimeMillis();
      // Detached: a cancellation arriving while the batch is being created waits for its ID,
      // so the batch can be aborted instead of left open on the platform.
      batchId =
          Landing.commit(
              () ->
                  stub(ActivityProfiles.SHORT_CALL, "create a batch in dataset " + sink.datasetId())
                      .createBatch(
                          new CreateBatchRequest(
                              sink,
                              egress.replaces(),
                              // Stable across attempts and continue-as-new: the run chain.
                              Workflow.getInfo().getWorkflowId()
                                  + "/"
                                  + Workflow.getInfo().getFirstExecutionRunId()))
                      .batchId());
      log.info("created batch {} in dataset {} for {}", batchId, sink.datasetId(), input.label());
      long created = Workflow.currentTimeMillis();

      stage.enter(Stage.UPLOADING);
      uploadAll(sink, input.fileUris(), names);
      long uploaded = Workflow.currentTimeMillis();

      stage.enter(Stage.COMPLETING);
      stub(ActivityProfiles.SHORT_CALL, "complete batch " + batchId)
          .completeBatch(new BatchRequest(sink, batchId));
      long completed = Workflow.currentTimeMillis();
      state =
          new EgressState(
              batchId,
              names,
              bytes,
              0,
              sink.pollInterval(),
              completed + sink.timeout().toMillis(),
              null,
              created - started,
              uploaded - created,
              completed - uploaded,
              completed);
    }
    stage.enter(Stage.WAITING);
    BatchStatusResult last = waitUntilFinal(input);
    String recordWarning = recordSent(input);
    stage.enter(Stage.DONE);
    return new BatchEgressResult(
        batchId,
        state.files(),
        state.bytes(),
        last.status(),
        new BatchEgressResult.Timings(
            state.createMillis(),
            state.uploadMillis(),
            state.completeMillis(),
            Workflow.currentTimeMillis() - state.completedAtMillis(),
            state.polls()),
        input.replaces(),
        recordWarning);
  }

  /** After a failure or a cancellation: the batch is aborted, unless it is final. */
  private List<String> abortAfter(PlatformBatchSink sink) {
    stage.enter(Stage.ABORTING);
    List<String> problems = abort(sink);
    stage.enter(Stage.FAILED);
    return problems;
  }

  /**
   * Records the successful batch for the window, if the input keeps a record. The batch is already
   * accepted: a record that cannot be written is reported, never a failure (failing now would throw
   * away a run whose data the platform holds).
   */
  private String recordSent(BatchEgressInput input) {
    if (input.recordUri() == null) {
      return null;
    }
    try {
      stub(ActivityProfiles.SHORT_CALL, "record batch " + batchId + " as this window's")
          .recordSentBatch(
              new RecordSentBatchRequest(
                  input.recordUri(), input.sink().datasetId(), batchId, state.files()));
      return null;
    } catch (ActivityFailure e) {
      String warning =
          "batch "
              + batchId
              + " succeeded, but recording it at "
              + input.recordUri()
              + " failed ("
              + e.getCause().getMessage()
              + "): a later run of this window will not replace it";
      log.warn(warning);
      return warning;
    }
  }

  /** What the Web UI shows as the run's current details. */
  private RunDetails details() {
    EgressProgress p = progress();
    return RunDetails.of(p.stage())
        .line("Platform batch", p.batchId())
        .line("Platform status", p.platformStatus())
        .count("Status checks", p.polls())
        .at("Next check", p.stage() == Stage.WAITING ? nextCheckMillis : 0)
        .ofTotal("Files uploaded", p.filesUploaded(), p.filesTotal())
        .bytes(p.bytes());
  }

  @Override
  public EgressProgress progress() {
    return new EgressProgress(
        stage.current(),
        batchId,
        filesUploaded,
        filesTotal,
        bytes,
        state == null ? 0 : state.polls(),
        state == null ? null : state.platformStatus());
  }

  /**
   * Uploads every file, at most {@code sink.maxParallelUploads} at once: a new upload starts as
   * soon as one finishes (a sliding window, not waves, so one slow file does not idle the rest).
   * The first upload that fails for good cancels the others and fails the run.
   */
  private void uploadAll(PlatformBatchSink sink, List<String> uris, List<String> names) {
    int limit = Math.max(1, sink.maxParallelUploads());
    CancellationScope uploads =
        Workflow.newCancellationScope(
            () -> {
              List<Promise<UploadResult>> inFlight = new ArrayList<>(limit);
              for (int i = 0; i < uris.size(); i++) {
                if (inFlight.size() >= limit) {
                  awaitOne(inFlight);
                }
                String name = names.get(i);
                PlatformBatchActivities uploader =
                    stub(
                        ActivityProfiles.PLATFORM_UPLOAD,
                        "upload " + name + " into batch " + batchId);
                inFlight.add(
                    Async.function(
                        uploader::uploadFile, new UploadRequest(sink, batchId, uris.get(i), name)));
              }
              while (!inFlight.isEmpty()) {
                awaitOne(inFlight);
              }
            });
    try {
      uploads.run();
    } catch (TemporalFailure e) {
      uploads.cancel();
      throw e;
    }
  }

  /** Waits until one upload of {@code inFlight} ends; counts and removes every finished one. */
  private void awaitOne(List<Promise<UploadResult>> inFlight) {
    Promise.anyOf(inFlight).get();
    for (Iterator<Promise<UploadResult>> it = inFlight.iterator(); it.hasNext(); ) {
      Promise<UploadResult> p = it.next();
      if (p.isCompleted()) {
        UploadResult r = p.get(); // throws the upload's failure
        filesUploaded++;
        bytes += r.bytes();
        stage.refresh();
        it.remove();
      }
    }
  }

  /**
   * Polls on durable timers until the batch is final; throws when it failed or the wait timed out.
   * No check outlives {@code sink.timeout}: each, its retries included, gets only the time left
   * ({@link ActivityProfiles#statusCheckWithin}); one that runs out of it times the wait out.
   */
  private BatchStatusResult waitUntilFinal(BatchEgressInput input) {
    PlatformBatchSink sink = input.sink();
    // Added after 0.1: a check used to get its own 15 minutes whatever the deadline.
    boolean bounded =
        Workflow.getVersion("deadline-bound-batch-status", Workflow.DEFAULT_VERSION, 1) >= 1;
    int pollsThisRun = 0;
    String statusError = null;
    while (true) {
      long remaining = state.deadlineMillis() - Workflow.currentTimeMillis();
      if (remaining <= 0) {
        throw timedOut(sink, statusError);
      }
      // The batch was only just completed (or checked): the first check waits an interval too.
      Duration pause = Duration.ofMillis(Math.min(state.nextInterval().toMillis(), remaining));
      nextCheckMillis = Workflow.currentTimeMillis() + pause.toMillis();
      stage.refresh();
      Timers.sleep(
          pause, "wait " + DurationText.of(pause) + " before checking batch " + batchId);
      ActivityOptions check =
          bounded
              ? ActivityProfiles.statusCheckWithin(
                  Duration.ofMillis(state.deadlineMillis() - Workflow.currentTimeMillis()))
              : ActivityProfiles.statusCheck(ActivityProfiles.SHORT_CALL);
      BatchStatusResult status;
      try {
        status = stub(check, "check batch " + batchId).batchStatus(new BatchRequest(sink, batchId));
      } catch (ActivityFailure e) {
        if (!ActivityProfiles.ranOutOfTimeLeft(check, e)) {
          throw e;
        }
        statusError = Failures.lastAttemptError(e);
        continue;
      }
      statusError = null;
      pollsThisRun++;
      state = state.afterPoll(status.status(), BatchPolls.next(state.nextInterval(), sink));
      switch (status.outcome()) {
        case READY:
          batchFinal = true;
          return status;
        case FAILED:
          batchFinal = true;
          throw BatchFailures.failed(batchId, status);
        default:
          break;
      }
      if (BatchPolls.continueAsNew(pollsThisRun)) {
        if (state.deadlineMillis() > Workflow.currentTimeMillis()) {
          Workflow.continueAsNew(input.resumingFrom(state));
        }
      }
    }
  }

  private ApplicationFailure timedOut(PlatformBatchSink sink, String statusError) {
    return BatchFailures.timedOut(batchId, sink, state, statusError, abort(sink));
  }

  /**
   * Aborts the batch unless there is none yet, the platform already reported it final, or an abort
   * was already tried. Returns what went wrong, so the run's failure can say so; never throws over
   * the failure that brought us here.
   */
  private List<String> abort(PlatformBatchSink sink) {
    List<String> problems = new ArrayList<>();
    if (batchId == null || batchFinal || abortAttempted) {
      return problems;
    }
    abortAttempted = true;
    String problem =
        Failures.problemOf(
            () ->
                stub(ActivityProfiles.CLEANUP, "abort batch " + batchId)
                    .abortBatch(new BatchRequest(sink, batchId)));
    if (problem != null) {
      problems.add("abort of platform batch " + batchId + " failed: " + problem);
    }
    return problems;
  }

  /** A stub whose calls carry {@code summary}; see {@link Stubs#summarized}. */
  private static PlatformBatchActivities stub(ActivityOptions profile, String summary) {
    return Stubs.summarized(PlatformBatchActivities.class, profile, summary);
  }
}
