package dev.sluice.starter.cli;

import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.Progress;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice status ID}: where a run is, or how it ended. */
@Command(
    name = "status",
    description = "Show a run's stage and progress, or its result or failure once it has ended.",
    mixinStandardHelpOptions = true)
public final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(
      paramLabel = "ID",
      description = "Workflow ID, e.g. ingest/contacts/2026-11-22T00:00:00Z.")
  String workflowId;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      WorkflowStub stub = temporal.client().newUntypedWorkflowStub(workflowId);
      WorkflowExecutionStatus status = stub.describe().getStatus();
      RunWatcher watcher = new RunWatcher(out, err, false);
      switch (status) {
        case WORKFLOW_EXECUTION_STATUS_RUNNING, WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW -> {
          out.println(workflowId + ": running");
          out.println("  " + RunWatcher.describe(stub.query("progress", Progress.class)));
          return ExitCodes.OK;
        }
        case WORKFLOW_EXECUTION_STATUS_COMPLETED -> {
          watcher.printSummary(workflowId, stub.getResult(AsyncIngestResult.class));
          return ExitCodes.OK;
        }
        default -> {
          String why;
          try {
            stub.getResult(AsyncIngestResult.class);
            why = status.name();
          } catch (WorkflowException e) {
            why = RunWatcher.failureMessage(e);
          }
          out.println(workflowId + ": " + statusName(status) + ": " + why);
          return ExitCodes.RUN_FAILED;
        }
      }
    } catch (TemporalConnection.UnavailableException e) {
      err.println(e.getMessage());
      return ExitCodes.UNAVAILABLE;
    } catch (WorkflowNotFoundException | StatusRuntimeException e) {
      if (!TemporalConnection.isNotFound(e)) {
        throw e;
      }
      err.println(
          "no run with ID '" + workflowId + "' in namespace '" + connection.namespace() + "'");
      return ExitCodes.UNAVAILABLE;
    }
  }

  private static String statusName(WorkflowExecutionStatus status) {
    return status
        .name()
        .replace("WORKFLOW_EXECUTION_STATUS_", "")
        .toLowerCase(java.util.Locale.ROOT);
  }
}
