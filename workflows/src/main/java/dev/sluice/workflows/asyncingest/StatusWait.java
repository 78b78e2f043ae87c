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

  /**
   * What the wait tells its run, and asks of it.
   *
   * @param onPoll takes the wait's state after each answered check
   * @param nextCheckAt takes when the next check is due (0: the server paces them)
   * @param continuing the input of a continue-as-new that goes on waiting from a state
   * @param timedOut cleans up and gives the run's failure once the deadline passed, from the last
   *     check's unanswered error (or null)
   */
  record Hooks(
      Consumer<WaitState> onPoll,
      LongConsumer nextCheckAt,
      Function<WaitState, ?> continuing,
      Function<String, ApplicationFailure> timedOut) {}

  /**
   * Waits until the provider's job is ready and returns the ready answer; throws when the provider
   * fails it or the wait times out. See {@link StatusPolling} and {@link ServerPolling}.
   */
  static StatusResult untilReady(
      AsyncRun run,
      WaitState start,
      Consumer<WaitState> onPoll,
      LongConsumer nextCheckAt,
      Function<WaitState, ?> continuing,
      Function<String, ApplicationFailure> timedOut) {
    Hooks hooks = new Hooks(onPoll, nextCheckAt, continuing, timedOut);
    boolean server =
        run.source.status().serverPolling()
            && Workflow.getVersion(VERSION_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1;
    return server
        ? ServerPolling.untilReady(run, start, hooks)
        : StatusPolling.untilReady(run, start, hooks);
  }
}
