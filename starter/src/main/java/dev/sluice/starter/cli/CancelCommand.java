package dev.sluice.starter.cli;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowStub;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sluice cancel ID}: asks a run to stop, aborting its provider job. */
@Command(
    name = "cancel",
    description = {
      "Cancel a run: abort its provider job (delete a finished one) and discard its staged files.",
      "Nothing is published; a run already publishing finishes publishing and succeeds."
    },
    mixinStandardHelpOptions = true)
public final class CancelCommand extends CliCommand {
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "Workflow ID of the run.")
  String workflowId;

  @Override
  public Integer call() {
    return TemporalConnection.callRun(
        connection, err(), workflowId, "no running run with ID '" + workflowId + "'", this::cancel);
  }

  private int cancel(TemporalConnection temporal, WorkflowStub run) {
    WorkflowExecutionStatus status = run.describe().getStatus();
    if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      // The latest run with this ID has ended: a cancel request would change nothing.
      err()
          .println(
              "run "
                  + workflowId
                  + " has already ended ("
                  + ListFilter.statusName(status)
                  + "); nothing to cancel");
      return ExitCodes.UNAVAILABLE;
    }
    run.cancel("cancelled from the sluice CLI");
    out().println("cancellation requested for " + workflowId);
    return ExitCodes.OK;
  }
}
