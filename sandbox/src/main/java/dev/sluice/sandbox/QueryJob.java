package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * One Bulk API 2.0 query job. Its result set is fixed at creation as a range of Contact rows
 * ({@code firstRow}, {@code rowCount}), so rows added later never appear and locators stay valid.
 */
final class QueryJob {

  /** Job states as Salesforce names them. */
  enum State {
    UploadComplete,
    InProgress,
    JobComplete,
    Failed,
    Aborted
  }

  /**
   * When a job finishes: on the {@code pollsBeforeReady}-th status poll, or once {@code readyAfter}
   * has passed when that is not zero; it then fails with {@code failMessage} when that is set.
   */
  record Readiness(int pollsBeforeReady, Duration readyAfter, String failMessage) {}

  private static final DateTimeFormatter JOB_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);
  private static final String CREATED_BY = SalesforceIds.of("005", 1);

  private final String id;
  private final String operation;
  private final String object;
  private final List<String> columns;
  private final int firstRow;
  private final int rowCount;
  private final double apiVersion;
  private final Instant createdAt;
  /** Added to {@code readyAfter} for this job alone (the emulator's {@code readyJitter}). */
  private Duration readyOffset = Duration.ZERO;
  private State state = State.UploadComplete;
  private Instant modifiedAt;
  private int polls;
  private String errorMessage;

  /** When the job became {@code JobComplete}; null until then. */
  private Instant readyAt;

  /** When results were first served; null until then. */
  private Instant firstResultsAt;

  QueryJob(
      String id,
      String operation,
      SoqlQuery query,
      int firstRow,
      int rowCount,
      double apiVersion,
      Instant createdAt) {
    this.id = id;
    this.operation = operation;
    this.object = query.object();
    this.columns = query.columns();
    this.firstRow = firstRow;
    this.rowCount = rowCount;
    this.apiVersion = apiVersion;
    this.createdAt = createdAt;
    this.modifiedAt = createdAt;
  }

  String id() {
    return id;
  }

  /** This job turns ready {@code offset} later than {@code readyAfter} says. */
  synchronized void readyOffset(Duration offset) {
    readyOffset = offset;
  }

  List<String> columns() {
    return columns;
  }

  double apiVersion() {
    return apiVersion;
  }

  int firstRow() {
    return firstRow;
  }

  int rowCount() {
    return rowCount;
  }

  synchronized State state() {
    return state;
  }

  Instant createdAt() {
    return createdAt;
  }

  /**
   * The instant the job became {@code JobComplete}, or null. The sandbox changes state lazily, on
   * the next request; when time made the job ready this is the end of {@code readyAfter}, not that
   * request, so a client's polling delay stays visible.
   */
  synchronized Instant readyAt() {
    return readyAt;
  }

  /** The instant the first results page was served, or null. */
  synchronized Instant firstResultsAt() {
    return firstResultsAt;
  }

  /** Records that a results page is being served (only the first one is kept). */
  synchronized void resultsServed(Instant now) {
    if (firstResultsAt == null) {
      firstResultsAt = now;
    }
  }

  /** Records a status poll and advances the state as {@code readiness} dictates. */
  synchronized void poll(Readiness readiness, Instant now) {
    polls++;
    advance(readiness, now);
  }

  /** Advances the state for time passing, without counting a poll. */
  synchronized void advance(Readiness readiness, Instant now) {
    if (isTerminal()) {
      return;
    }
    Instant readyTime = createdAt.plus(readiness.readyAfter()).plus(readyOffset);
    boolean timeUp = !readiness.readyAfter().isZero() && !now.isBefore(readyTime);
    if (polls >= readiness.pollsBeforeReady() || timeUp) {
      errorMessage = readiness.failMessage();
      moveTo(errorMessage == null ? State.JobComplete : State.Failed, now);
      if (state == State.JobComplete) {
        readyAt = timeUp ? readyTime : now;
      }
    } else if (polls > 0 && state == State.UploadComplete) {
      moveTo(State.InProgress, now);
    }
  }

  /**
   * Aborts the job.
   *
   * @return false when the job had already finished (completed, failed or aborted)
   */
  synchronized boolean abort(Instant now) {
    if (isTerminal()) {
      return false;
    }
    moveTo(State.Aborted, now);
    return true;
  }

  /** Whether the job may be deleted: any state but {@code InProgress}, as documented. */
  synchronized boolean isDeletable() {
    return state != State.InProgress;
  }

  /** The job info returned on creation and abort. */
  synchronized ObjectNode info() {
    return Json.object()
        .put("id", id)
        .put("operation", operation)
        .put("object", object)
        .put("createdById", CREATED_BY)
        .put("createdDate", JOB_TIME.format(createdAt))
        .put("systemModstamp", JOB_TIME.format(modifiedAt))
        .put("state", state.name())
        .put("concurrencyMode", "Parallel")
        .put("contentType", "CSV")
        .put("apiVersion", apiVersion)
        .put("lineEnding", "LF")
        .put("columnDelimiter", "COMMA");
  }

  /** The job info returned by a status request, with processing figures. */
  synchronized ObjectNode detailedInfo() {
    ObjectNode info =
        info()
            .put("jobType", "V2Query")
            .put("numberRecordsProcessed", state == State.JobComplete ? rowCount : 0)
            .put("retries", 0)
            .put(
                "totalProcessingTime",
                isTerminal() ? Duration.between(createdAt, modifiedAt).toMillis() : 0);
    if (state == State.Failed) {
      info.put("errorMessage", errorMessage);
    }
    return info;
  }

  private boolean isTerminal() {
    return state == State.JobComplete || state == State.Failed || state == State.Aborted;
  }

  private void moveTo(State next, Instant now) {
    state = next;
    modifiedAt = now;
  }
}
