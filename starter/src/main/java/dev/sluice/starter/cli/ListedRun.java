package dev.sluice.starter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;

/**
 * One row of {@code sluice list}: what visibility says of a run, plus the rows it landed, read from
 * its result (completed runs only; visibility does not hold results).
 *
 * @param id workflow ID
 * @param runId run ID
 * @param kind a {@link ListFilter#KINDS} name
 * @param status {@code running}, {@code completed}, …
 * @param stage the run's {@code SluiceStage}, or null
 * @param start when it started
 * @param close when it closed, or null while it runs
 * @param durationSeconds close (or now) minus start
 * @param rows rows the run landed, or null when unknown (not completed, or no rows in its result)
 */
record ListedRun(
    String id,
    String runId,
    String kind,
    String status,
    String stage,
    Instant start,
    Instant close,
    double durationSeconds,
    Long rows) {

  /** The row for {@code run}; reads a completed run's result for its rows. */
  static ListedRun of(WorkflowClient client, WorkflowExecutionMetadata run, Instant now) {
    Instant start = run.getStartTime();
    Instant close = run.getCloseTime();
    Duration took = Duration.between(start, close == null ? now : close);
    return new ListedRun(
        run.getExecution().getWorkflowId(),
        run.getExecution().getRunId(),
        ListFilter.kindOf(run.getWorkflowType()),
        ListFilter.statusName(run.getStatus()),
        ListFilter.stageOf(run),
        start,
        close,
        took.toMillis() / 1000.0,
        run.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
            ? rows(client, run).orElse(null)
            : null);
  }

  /**
   * The {@code rows} of a run's result (a replay: the sum over its windows), read as JSON so every
   * kind's result is read the same way. Empty when the result has none or cannot be read.
   */
  static Optional<Long> rows(WorkflowClient client, WorkflowExecutionMetadata run) {
    try {
      JsonNode result =
          client
              .newUntypedWorkflowStub(
                  run.getExecution().getWorkflowId(),
                  Optional.of(run.getExecution().getRunId()),
                  Optional.empty())
              .getResult(JsonNode.class);
      return rows(result);
    } catch (RuntimeException e) {
      // A result this client cannot read (another codec, a gone history): the row says "-".
      return Optional.empty();
    }
  }

  /**
   * {@code rows} of a result, a batch window's {@code load.rows}, or the sum of a replay's {@code
   * windows[].rows}.
   */
  static Optional<Long> rows(JsonNode result) {
    if (result == null) {
      return Optional.empty();
    }
    if (result.path("rows").isNumber()) {
      return Optional.of(result.path("rows").asLong());
    }
    if (result.path("load").path("rows").isNumber()) {
      return Optional.of(result.path("load").path("rows").asLong());
    }
    if (result.path("windows").isArray()) {
      long sum = 0;
      for (JsonNode w : result.path("windows")) {
        sum += w.path("rows").asLong(0);
      }
      return Optional.of(sum);
    }
    return Optional.empty();
  }

  /** {@code 0.4s}, {@code 12s}, {@code 3m05s}, {@code 2h07m}. */
  String duration() {
    long seconds = (long) durationSeconds;
    if (durationSeconds < 10) {
      return String.format(Locale.ROOT, "%.1fs", durationSeconds);
    }
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  /** A time in the table: UTC, to the second. */
  static String time(Instant t) {
    return t == null ? "-" : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
