package dev.sluice.workflows.common;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;

/** Activity stubs as every workflow makes them: one per call, each call with its own summary. */
public final class Stubs {
  private Stubs() {}

  /**
   * A stub of {@code type} under {@code profile} whose calls carry {@code summary}, which the Web
   * UI shows beside the activity. The summary is metadata on the command, not part of what replay
   * compares.
   */
  public static <T> T summarized(Class<T> type, ActivityOptions profile, String summary) {
    return Workflow.newActivityStub(
        type, ActivityOptions.newBuilder(profile).setSummary(summary).build());
  }
}
