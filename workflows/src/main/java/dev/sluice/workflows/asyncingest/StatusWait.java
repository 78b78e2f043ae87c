package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.Messages.StatusResult;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Step 2 of an async ingest, in the pipeline's {@code status.polling} mode: {@link ServerPolling}
 * or {@link StatusPolling}. Workflow code.
 */
final class StatusWait {
  private StatusWait() {}

  /**
   * Server-side polling emits other commands than the timer loop: histories recorded before it
   * existed (whose pipelines say nothing of {@code polling}, hence {@code server}) keep the loop.
   */
  static final String VERSION_CHANGE = "server-side-polling";

  /** See {@link StatusPolling#untilReady}. */
  static StatusResult untilReady(
      AsyncRun run,
      WaitState start,
      Consumer<WaitState> onPoll,
      LongConsumer nextCheckAt,
      Function<WaitState, ?> continuing,
      Function<String, ApplicationFailure> timedOut) {
    boolean server =
        run.source.status().serverPolling()
            && Workflow.getVersion(VERSION_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    return server
        ? ServerPolling.untilReady(run, start, onPoll, nextCheckAt, continuing, timedOut)
        : StatusPolling.untilReady(run, start, onPoll, nextCheckAt, continuing, timedOut);
  }
}
