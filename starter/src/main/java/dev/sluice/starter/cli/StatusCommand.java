package dev.sluice.starter.cli;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.workflows.replay.ReplayResult;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sluice status ID}: where a run (or a replay) is, or how it ended. */
@Command(
    name = "status",
    description =
        "Show a run's stage and progress, or its result or failure once it has ended; for a"
            + " replay, its windows.",
    mixinStandardHelpOptions = true)
public final class StatusCommand extends CliCommand {
  @Mixin ConnectionOptions connection;

  @Parameters(
      paramLabel = "ID",
      description =
          "Workflow ID, e.g. ingest/contacts/2026-11-22T00:00:00Z or"
              + " replay/contacts/2026-11-01T00:00:00Z/2026-11-08T00:00:00Z.")
  String workflowId;

  @Override
  public Integer call() {
    return TemporalConnection.callRun(
        connection,
        err(),
        workflowId,
        "no run with ID '" + workflowId + "' in namespace '" + connection.namespace() + "'",
        this::status);
  }

  private int status(TemporalConnection temporal, WorkflowStub stub) {
    PrintWriter out = out();
    WorkflowExecutionDescription description = stub.describe();
    WorkflowExecutionStatus status = description.getStatus();
    String type = description.getWorkflowType();
    if (ReplayCommand.WORKFLOW_TYPE.equals(type)) {
      return replayStatus(stub, status, out);
    }
    // Both pipeline kinds share the ID scheme: the server's workflow type says which this is.
    Optional<RunKind> kind = RunKind.ofWorkflowType(type);
    Class<?> resultType = kind.<Class<?>>map(RunKind::resultType).orElse(Object.class);
    switch (status) {
      case WORKFLOW_EXECUTION_STATUS_RUNNING, WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW -> {
        out.println(workflowId + ": running");
        if (kind.isPresent()) {
          Object progress = RunWatcher.progress(temporal.client(), workflowId, stub, kind.get());
          out.println("  " + RunWatcher.describe(progress));
        }
        return ExitCodes.OK;
      }
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> {
        if (kind.isEmpty()) {
          out.println(workflowId + ": completed (a " + type + ", not a pipeline run)");
          return ExitCodes.OK;
        }
        RunWatcher watcher = new RunWatcher(out, err(), false);
        Object result = stub.getResult(resultType);
        watcher.printSummary(
            workflowId, result, startedPipeline(temporal.client(), workflowId, kind.get()));
        return UnitsReport.exitCode(result);
      }
      default -> {
        return ended(stub, status, resultType, out);
      }
    }
  }

  /** A replay: its windows so far, or the table once it has ended. */
  private int replayStatus(WorkflowStub stub, WorkflowExecutionStatus status, PrintWriter out) {
    ReplayReport report = new ReplayReport(out);
    switch (status) {
      case WORKFLOW_EXECUTION_STATUS_RUNNING, WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW -> {
        out.println(workflowId + ": running");
        report.printTable(stub.query("progress", ReplayResult.class));
        return ExitCodes.OK;
      }
      case WORKFLOW_EXECUTION_STATUS_COMPLETED -> {
        ReplayResult result = stub.getResult(ReplayResult.class);
        out.println(workflowId + ": completed");
        report.printTable(result);
        return ReplayReport.allSucceeded(result) ? ExitCodes.OK : ExitCodes.RUN_FAILED;
      }
      default -> {
        return ended(stub, status, ReplayResult.class, out);
      }
    }
  }

  /** A run that ended other than completed: its status and why. */
  private int ended(
      WorkflowStub stub, WorkflowExecutionStatus status, Class<?> resultType, PrintWriter out) {
    String why;
    try {
      stub.getResult(resultType);
      why = status.name();
    } catch (WorkflowException e) {
      why = RunWatcher.failureMessage(e);
    }
    out.println(workflowId + ": " + statusName(status) + ": " + why);
    return ExitCodes.RUN_FAILED;
  }

  /**
   * The pipeline the run was started with, from its first history event: the summary uses it to say
   * where expired deferred rows went. Null when it cannot be read; the summary is still printed,
   * naming the expired table without its path.
   */
  public static PipelineSpec startedPipeline(
      WorkflowClient client, String workflowId, RunKind kind) {
    try {
      GetWorkflowExecutionHistoryResponse first =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .getWorkflowExecutionHistory(
                  GetWorkflowExecutionHistoryRequest.newBuilder()
                      .setNamespace(client.getOptions().getNamespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                      .setMaximumPageSize(1)
                      .build());
      if (first.getHistory().getEventsCount() == 0) {
        return null;
      }
      Payloads input =
          first.getHistory().getEvents(0).getWorkflowExecutionStartedEventAttributes().getInput();
      Object decoded =
          client
              .getOptions()
              .getDataConverter()
              .fromPayloads(0, Optional.of(input), kind.inputType(), kind.inputType());
      return RunKind.pipelineOf(decoded);
    } catch (RuntimeException e) {
      // Only an output path hangs on this; the run's result was already read successfully.
      return null;
    }
  }

  private static String statusName(WorkflowExecutionStatus status) {
    return status
        .name()
        .replace("WORKFLOW_EXECUTION_STATUS_", "")
        .toLowerCase(java.util.Locale.ROOT);
  }
}
