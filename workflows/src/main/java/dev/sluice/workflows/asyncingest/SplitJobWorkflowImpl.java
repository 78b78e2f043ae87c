package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.StatusResult;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.SubmitResult;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.Stubs;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/** See {@link SplitJobWorkflow}. Deterministic: every effect is an activity or a timer. */
public final class SplitJobWorkflowImpl implements SplitJobWorkflow {
  private static final org.slf4j.Logger log = Workflow.getLogger(SplitJobWorkflowImpl.class);

  private WaitState wait;

  /** Set once clean-up ran, so a failure after a timed-out wait does not abort twice. */
  private boolean cleanedUp;

  /** Whether the part's job was ready: clean-up then deletes it instead of aborting it. */
  private boolean ready;

  @Override
  public SplitJobResult run(SplitJobInput input) {
    AsyncRun run = new AsyncRun(input.asIngestInput());
    if (!input.watermarkRange()) {
      run.part = input.part();
    }
    wait = input.resumed();
    try {
      return stage(run, input);
    } catch (TemporalFailure e) {
      boolean failed =
          e instanceof ApplicationFailure a
              && (FailureType.PROVIDER_JOB_FAILED.type().equals(a.getType())
                  || WindowSplit.SPLIT_NEEDED.equals(a.getType()));
      // Detached: a cancelled part still aborts its job. A clean-up problem is logged, not thrown
      // over the failure that brought us here.
      Workflow.newDetachedCancellationScope(
              () -> cleanUp(run, !ready && !failed).forEach(p -> log.warn("clean-up: {}", p)))
          .run();
      String reason = WindowSplit.reason(run.source.split(), e);
      if (reason != null && !(e instanceof CanceledFailure)) {
        throw WindowSplit.splitNeeded(reason);
      }
      throw e;
    }
  }

  private SplitJobResult stage(AsyncRun run, SplitJobInput input) {
    SubWindow part = input.part();
    if (wait == null) {
      wait = submit(run, input);
    }
    StatusResult status =
        StatusWait.untilReady(
            run,
            wait,
            polled -> wait = polled,
            at -> {},
            input::resumingFrom,
            statusError -> StatusPolling.timedOut(run, wait, statusError, cleanUp(run, true)));
    ready = true;
    String over = WindowSplit.overLimit(run.source.split(), status);
    if (over != null) {
      throw WindowSplit.splitNeeded(over);
    }
    String dir = part.dirName();
    ExtractResult extracted =
        Stubs.summarized(
                HttpJobActivities.class,
                ActivityProfiles.EXTRACT,
                "extract part " + part.describe() + " from " + run.provider)
            .extract(
                new ExtractRequest(
                    run.key + "-" + dir,
                    run.source,
                    run.vars(wait),
                    run.table,
                    run.staging + "/" + dir,
                    run.watermarkColumn(),
                    input.keepFrom(),
                    input.keepTo()));
    String warning = null;
    if (run.source.cleanup().delete() != null) {
      String error = ProviderJob.delete(run, wait);
      warning =
          error == null ? null : "deleting provider job " + wait.requestId() + " failed: " + error;
    }
    return new SplitJobResult(
        wait.requestId(),
        new ExtractResult(
            extracted.rows(),
            extracted.bytes(),
            extracted.files().stream().map(f -> dir + "/" + f).toList(),
            extracted.pages(),
            extracted.maxWatermark(),
            extracted.droppedRows()),
        wait.polls(),
        warning);
  }

  private WaitState submit(AsyncRun run, SplitJobInput input) {
    long started = Workflow.currentTimeMillis();
    // Job limits (source.concurrency, when it exists): a part's job needs a permit like the run's
    // first job; acquire it here, before the submit, and release it in cleanUp and after delete.
    SubmitResult submitted =
        ProviderJob.submit(
            run,
            new SubmitRequest(
                run.key,
                run.source,
                run.baseVars(input.watermark(), input.watermarkEnd()),
                // The part's first run: stable across every retry of this submit.
                RunKeys.receipt(
                    run.table,
                    run.key + "-" + input.part().dirName(),
                    Workflow.getInfo().getRunId())),
            "submit part " + input.part().describe() + " to " + run.provider,
            // Its answer lost, the job is this part's all the same: the clean-up aborts it.
            accepted -> wait = waitFor(run, input, accepted, started));
    return waitFor(run, input, submitted, started);
  }

  /** The wait for the job {@code submitted} names, its submit begun at {@code started}. */
  private static WaitState waitFor(
      AsyncRun run, SplitJobInput input, SubmitResult submitted, long started) {
    long now = Workflow.currentTimeMillis();
    return new WaitState(
        submitted.requestId(),
        input.watermark(),
        0,
        run.source.status().interval(),
        now + run.source.status().timeout().toMillis(),
        null,
        started,
        now - started,
        false,
        input.watermarkEnd(),
        null,
        submitted.values());
  }

  /** Aborts the part's live job or deletes its finished one; returns what failed. */
  private List<String> cleanUp(AsyncRun run, boolean live) {
    List<String> problems = new ArrayList<>();
    if (wait == null || cleanedUp) {
      return problems;
    }
    cleanedUp = true;
    if (live && run.source.cleanup().abort() != null) {
      String aborted = ProviderJob.abort(run, wait);
      if (aborted != null) {
        problems.add(aborted);
      }
    } else if (!live && run.source.cleanup().delete() != null) {
      String error = ProviderJob.delete(run, wait);
      if (error != null) {
        problems.add("delete of provider job " + wait.requestId() + " failed: " + error);
      }
    }
    return problems;
  }
}
