package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.CleanupRequest;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.Failures;
import dev.sluice.workflows.common.Stubs;
import io.temporal.workflow.Workflow;
import java.util.Map;
import java.util.function.BiConsumer;

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
