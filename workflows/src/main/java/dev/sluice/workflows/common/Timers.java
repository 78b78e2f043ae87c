package dev.sluice.workflows.common;

import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Durable timers that say what they wait for: the summary shows in the Web UI's event history.
 * The same command as {@link Workflow#sleep} (the summary is metadata on it), so histories
 * recorded with plain sleeps replay unchanged.
 */
public final class Timers {
  private Timers() {}

  /** Sleeps {@code duration} on a durable timer summarised as {@code summary}. Workflow code. */
  public static void sleep(Duration duration, String summary) {
    Workflow.newTimer(duration, TimerOptions.newBuilder().setSummary(summary).build()).get();
  }
}
