package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * One asynchronous insights report run (an {@code AdReportRun}): "Job Not Started" until its first
 * status read, "Job Running" with a rising {@code async_percent_completion}, then "Job Completed"
 * (100) or "Job Failed" on its {@code pollsBeforeComplete}-th read. It fails when its range is
 * longer than the knob's day limit, with Meta's data-per-call error.
 */
final class MetaReportRun {

  /** The data-per-call limit error of the Insights API: code 100, subcode 1487534. */
  static final int TOO_MUCH_DATA_CODE = 100;

  static final int TOO_MUCH_DATA_SUBCODE = 1487534;
  static final String TOO_MUCH_DATA_MESSAGE =
      "Please reduce the amount of data you're asking for, then retry your request";

  private final String id;
  private final String accountId;
  private final LocalDate since;
  private final LocalDate until;
  private final Instant timeRef;
  private final List<ObjectNode> rows;
  private final boolean tooMuchData;
  private String status = "Job Not Started";
  private int percent;
  private int reads;
  private Instant completed;

  MetaReportRun(
      String id,
      String accountId,
      LocalDate since,
      LocalDate until,
      Instant timeRef,
      List<ObjectNode> rows,
      boolean tooMuchData) {
    this.id = id;
    this.accountId = accountId;
    this.since = since;
    this.until = until;
    this.timeRef = timeRef;
    this.rows = List.copyOf(rows);
    this.tooMuchData = tooMuchData;
  }

  String id() {
    return id;
  }

  List<ObjectNode> rows() {
    return rows;
  }

  /** Days in the run's range, both ends included. */
  long days() {
    return ChronoUnit.DAYS.between(since, until) + 1;
  }

  synchronized boolean finished() {
    return status.equals("Job Completed") || status.equals("Job Failed");
  }

  synchronized boolean completed() {
    return status.equals("Job Completed");
  }

  synchronized boolean failed() {
    return status.equals("Job Failed");
  }

  /** Counts a status read and moves the run on. */
  synchronized void read(int pollsBeforeComplete, Instant now) {
    reads++;
    if (finished()) {
      return;
    }
    if (reads >= pollsBeforeComplete) {
      status = tooMuchData ? "Job Failed" : "Job Completed";
      percent = tooMuchData ? percent : 100;
      completed = now;
    } else if (reads > 1) {
      status = "Job Running";
      percent = 100 * (reads - 1) / pollsBeforeComplete;
    }
  }

  /** The report run as {@code GET /{report_run_id}} answers it. */
  synchronized ObjectNode json() {
    ObjectNode run =
        Json.object()
            .put("id", id)
            .put("account_id", accountId)
            .put("time_ref", timeRef.getEpochSecond())
            .put("async_status", status)
            .put("async_percent_completion", percent)
            .put("date_start", since.toString())
            .put("date_stop", until.toString());
    if (completed != null) {
      run.put("time_completed", completed.getEpochSecond());
    }
    if (failed()) {
      // The failure fields a report run carries (error_code, error_message, error_subcode).
      run.put("error_code", TOO_MUCH_DATA_CODE)
          .put("error_subcode", TOO_MUCH_DATA_SUBCODE)
          .put("error_message", TOO_MUCH_DATA_MESSAGE);
    }
    return run;
  }
}
