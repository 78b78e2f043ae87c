package dev.sluice.workflows.common;

import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/** The logical date a run covers, resolved the same way by every workflow. */
public final class LogicalDates {
  private LogicalDates() {}

  /**
   * {@code given}, or for a run started without one (by a Schedule) the time Temporal scheduled it
   * for, so a backfill or a late start still covers its own window; failing that, when the run
   * started, to the second. Both are fixed in history, so replay resolves the same date; neither
   * adds a command. Workflow code only.
   */
  public static String resolve(String given) {
    if (given != null) {
      return given;
    }
    OffsetDateTime scheduled =
        Workflow.getTypedSearchAttributes().get(SearchAttributes.SCHEDULED_START_TIME);
    if (scheduled != null) {
      return scheduled.toInstant().toString();
    }
    return Instant.ofEpochMilli(Workflow.currentTimeMillis())
        .truncatedTo(ChronoUnit.SECONDS)
        .toString();
  }
}
