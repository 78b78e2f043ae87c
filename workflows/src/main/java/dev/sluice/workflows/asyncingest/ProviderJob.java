package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.CleanupRequest;
import dev.sluice.workflows.activities.Messages.ReceiptRequest;
import dev.sluice.workflows.activities.Messages.ReceiptResult;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.SubmitResult;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.Failures;
import dev.sluice.workflows.common.Stubs;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** The provider's job after the run is done with it: aborted or deleted, and its wait timed. */
final class ProviderJob {
  private ProviderJob() {}

  /**
   * Timer of the wait from the completed submit to the provider's "ready", by {@code pipeline};
   * Prometheus: {@code sluice_provider_wait_seconds}. Recorded by the workflow because only it sees
   * the whole wait (it spans continue-as-new). Not tagged {@code provider}: the URL's host is often
   * a secret reference only activities resolve; the dashboard joins the host in from {@code
   * sluice_status_polls_total}, which the status check tags with both.
   */
  static final String PROVIDER_WAIT_METRIC = "sluice_provider_wait";

  /**
   * Version marker of the receipt read after a failed submit ({@link #submit}): histories
   * recorded before it failed straight on to their clean-up.
   */
  static final String UNANSWERED_SUBMIT = "abort-unanswered-submit";

  /**
   * Submits the job. A submit that fails may still have started one: the activity writes its
   * receipt as soon as the provider answers, and its result can be lost after that (the server
   * unreachable, the attempt timed out, no retry before the schedule-to-close timeout). So when
   * the submit fails, or the run is cancelled during it, and the source can abort jobs ({@code
   * source.cleanup.abort}), the run's receipt is read; a job named there is handed to {@code
   * accepted} (as a reused {@link SubmitResult}), for the run's clean-up to abort as any live job,
   * and the failure says so. Finding no receipt, the read closes it, so that an attempt still
   * running (timed out, or never told of the cancellation) and answered later aborts its job itself
   * instead of leaving it to run (docs/concepts/non-idempotent-requests.md). Throws the submit's
   * failure (cancellations as they are).
   *
   * @param summary the submit's activity summary
   * @param accepted told of the job the receipt names, before the failure is rethrown
   */
  static SubmitResult submit(
      AsyncRun run, SubmitRequest request, String summary, Consumer<SubmitResult> accepted) {
    try {
      return Stubs.summarized(HttpJobActivities.class, ActivityProfiles.SHORT_CALL, summary)
          .submit(request);
    } catch (TemporalFailure e) {
      if (run.source.cleanup().abort() == null
          || Workflow.getVersion(UNANSWERED_SUBMIT, Workflow.DEFAULT_VERSION, 1) < 1) {
        throw e;
      }
      boolean cancelled =
          e instanceof CanceledFailure || CancellationScope.current().isCancelRequested();
      ReceiptResult[] receipt = new ReceiptResult[1];
      String[] readError = new String[1];
      // Detached: a cancelled run's own scope can no longer call out. A clean-up call: a store
      // that does not answer within CLEANUP's two minutes does not hold the failed run open.
      Workflow.newDetachedCancellationScope(
              () ->
                  readError[0] =
                      Failures.problemOf(
                          () ->
                              receipt[0] =
                                  Stubs.summarized(
                                          HttpJobActivities.class,
                                          ActivityProfiles.CLEANUP,
                                          "read submit receipt " + request.receiptUri())
                                      .submitted(new ReceiptRequest(request.receiptUri()))))
          .run();
      String note;
      if (readError[0] != null) {
        note =
            "reading the submit receipt failed ("
                + readError[0]
                + "): a job the provider accepted may be left running";
      } else if (receipt[0].requestId() != null) {
        accepted.accept(new SubmitResult(receipt[0].requestId(), true, receipt[0].values()));
        note =
            "the provider had accepted job "
                + receipt[0].requestId()
                + " all the same (the submit receipt names it): the clean-up aborts it";
      } else {
        throw e;
      }
      if (cancelled) {
        // A cancelled run reports no clean-up: it stays a cancellation.
        throw e;
      }
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          Failures.rootMessage(e) + "; " + note, Failures.rootType(e), e);
    }
  }

  /** Aborts the job; returns what went wrong, or null. Never throws. */
  static String abort(AsyncRun run, WaitState wait) {
    String error = call(run, wait, "abort", HttpJobActivities::abort);
    return error == null
        ? null
        : "abort of provider job " + wait.requestId() + " failed: " + error;
  }

  /** Deletes the job; returns its error's message, or null. Never throws. */
  static String delete(AsyncRun run, WaitState wait) {
    return call(run, wait, "delete", HttpJobActivities::delete);
  }

  private static String call(
      AsyncRun run,
      WaitState wait,
      String verb,
      BiConsumer<HttpJobActivities, CleanupRequest> request) {
    return Failures.problemOf(
        () ->
            request.accept(
                Stubs.summarized(
                    HttpJobActivities.class,
                    ActivityProfiles.CLEANUP,
                    verb + " job " + wait.requestId() + " at " + run.provider),
                new CleanupRequest(run.source, run.vars(wait))));
  }

  /**
   * Records the wait until {@code readyAt}. {@code Workflow.getMetricsScope()} records nothing
   * while a task is replayed, so a run rebuilt from history counts nothing twice.
   */
  static void recordWait(AsyncRun run, WaitState wait, long readyAt) {
    long submitted = wait.startedMillis() + wait.submitMillis();
    Workflow.getMetricsScope()
        .tagged(Map.of("pipeline", run.spec.name()))
        .timer(PROVIDER_WAIT_METRIC)
        .record(com.uber.m3.util.Duration.ofMillis(Math.max(0, readyAt - submitted)));
  }
}
