package dev.sluice.workflows.batchegress;

import dev.sluice.pipeline.PlatformBatchSink;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * How an egress paces the status checks of its batch: the wait between two checks grows from
 * {@code sink.pollInterval} by {@link #BACKOFF} up to {@code sink.maxPollInterval}, and one run
 * makes at most {@link #MAX_PER_RUN} checks before it continues as new. Workflow code:
 * deterministic.
 */
final class BatchPolls {
  /**
   * Continue-as-new after this many status checks in one run, even if the server does not suggest
   * it yet: each check adds about a dozen events (timer and activity), so a run stays near 6,000.
   */
  static final int MAX_PER_RUN = 500;

  /** Growth of the wait between status checks, up to {@code sink.maxPollInterval}. */
  static final double BACKOFF = 1.5;

  private BatchPolls() {}

  /** The wait after {@code interval}: {@link #BACKOFF} times longer, at most the sink's maximum. */
  static Duration next(Duration interval, PlatformBatchSink sink) {
    long next = (long) (interval.toMillis() * BACKOFF);
    return Duration.ofMillis(Math.min(next, sink.maxPollInterval().toMillis()));
  }

  /**
   * Whether a run that made {@code pollsThisRun} checks continues as new now: at {@link
   * #MAX_PER_RUN}, or when the server suggests it.
   */
  static boolean continueAsNew(int pollsThisRun) {
    return pollsThisRun >= MAX_PER_RUN || Workflow.getInfo().isContinueAsNewSuggested();
  }
}
