package dev.sluice.starter.cli;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflow;
import dev.sluice.workflows.common.TaskQueues;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Starts pipeline runs: the one place that knows how a pipeline becomes a workflow. */
public final class PipelineRuns {
  private PipelineRuns() {}

  /**
   * Starts a run of {@code spec} for {@code logicalDate} and returns its workflow ID. A finished
   * run of the same window may be run again (its outputs are overwritten, not duplicated); a run
   * of the same window still in progress is refused.
   *
   * @throws io.temporal.client.WorkflowExecutionAlreadyStarted when that window is running
   */
  public static String start(
      WorkflowClient client, String taskQueue, PipelineSpec spec, String logicalDate) {
    String id = TaskQueues.ingestWorkflowId(spec.name(), logicalDate);
    AsyncIngestWorkflow workflow =
        client.newWorkflowStub(
            AsyncIngestWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(taskQueue)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .setMemo(memo(spec))
                .build());
    WorkflowClient.start(workflow::run, AsyncIngestInput.of(spec, logicalDate));
    return id;
  }

  /** What the Web UI shows of a run without opening its history. */
  private static Map<String, Object> memo(PipelineSpec spec) {
    Map<String, Object> memo = new java.util.LinkedHashMap<>();
    memo.put("pipeline", spec.name());
    if (spec.description() != null) {
      memo.put("description", spec.description());
    }
    return memo;
  }

  /**
   * The logical date of a run: the given one, checked, or now to the second (UTC).
   *
   * @throws IllegalArgumentException when it is neither an ISO instant nor an ISO date
   */
  public static String logicalDate(String given) {
    if (given == null) {
      return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
    try {
      return Instant.parse(given).toString();
    } catch (DateTimeParseException notInstant) {
      try {
        return LocalDate.parse(given).toString();
      } catch (DateTimeParseException notDate) {
        throw new IllegalArgumentException(
            "--logical-date: '" + given + "' is neither an ISO-8601 instant (2026-11-22T00:00:00Z) nor a date (2026-11-22)");
      }
    }
  }
}
