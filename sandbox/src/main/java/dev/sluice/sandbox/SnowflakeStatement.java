package dev.sluice.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;

/**
 * One statement submitted to the Snowflake SQL API. Its result (row count, partitions) is fixed at
 * submission; it runs until its {@code pollsBeforeDone}-th status request and {@code runningTime}
 * have both passed, then succeeds, or fails with the error the knobs named then.
 */
final class SnowflakeStatement {

  enum State {
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED
  }

  /** A statement's error: Snowflake's code, message and SQLSTATE. */
  record Failure(String code, String message, String sqlState) {
    static final Failure CANCELLED = new Failure("000604", "SQL execution canceled", "57014");
  }

  /** When statements finish and how: read from the knobs on each status request. */
  record Running(int pollsBeforeDone, Duration runningTime, Failure failure) {}

  private final String handle;
  private final String requestId;
  private final Instant createdOn;
  private final SnowflakeResults results;
  private State state = State.RUNNING;
  private int polls;
  private Failure failure;

  SnowflakeStatement(String handle, String requestId, Instant createdOn, SnowflakeResults results) {
    this.handle = handle;
    this.requestId = requestId;
    this.createdOn = createdOn;
    this.results = results;
  }

  String handle() {
    return handle;
  }

  String requestId() {
    return requestId;
  }

  SnowflakeResults results() {
    return results;
  }

  synchronized State state() {
    return state;
  }

  synchronized Failure failure() {
    return failure;
  }

  /** Counts a status request and finishes the statement when it is due. */
  synchronized void poll(Running running, Instant now) {
    polls++;
    if (state == State.RUNNING
        && polls >= running.pollsBeforeDone()
        && !now.isBefore(createdOn.plus(running.runningTime()))) {
      failure = running.failure();
      state = failure == null ? State.SUCCEEDED : State.FAILED;
    }
  }

  /**
   * Cancels a running statement.
   *
   * @return false when it had already finished
   */
  synchronized boolean cancel() {
    if (state != State.RUNNING) {
      return false;
    }
    state = State.CANCELLED;
    failure = Failure.CANCELLED;
    return true;
  }

  String statusUrl() {
    return "/api/v2/statements/" + handle;
  }

  /** The 202 QueryStatus of a statement still running. */
  ObjectNode queryStatus() {
    return Json.object()
        .put("code", "333334")
        .put(
            "message",
            "Asynchronous execution in progress. Use provided query id to perform query monitoring"
                + " and management.")
        .put("statementHandle", handle)
        .put("statementStatusUrl", statusUrl());
  }

  /** The 422 QueryFailureStatus of a failed or cancelled statement. */
  synchronized ObjectNode failureStatus() {
    return Json.object()
        .put("code", failure.code())
        .put("message", failure.message())
        .put("sqlState", failure.sqlState())
        .put("statementHandle", handle)
        .put("statementStatusUrl", statusUrl());
  }

  /** The 200 ResultSet of a succeeded statement: its metadata and the first partition. */
  ObjectNode resultSet() {
    ObjectNode body = Json.object();
    ObjectNode meta = body.putObject("resultSetMetaData");
    meta.put("numRows", results.rows()).put("format", "jsonv2");
    ArrayNode info = meta.putArray("partitionInfo");
    for (int p = 0; p < results.partitions(); p++) {
      info.addObject()
          .put("rowCount", results.rowCount(p))
          .put("uncompressedSize", results.uncompressedSize(p));
    }
    meta.set("rowType", SnowflakeResults.rowType());
    body.set("data", results.data(0));
    return body.put("code", "090001")
        .put("statementStatusUrl", statusUrl())
        .put("requestId", requestId)
        .put("sqlState", "00000")
        .put("statementHandle", handle)
        .put("message", "Statement executed successfully.")
        .put("createdOn", createdOn.toEpochMilli());
  }
}
