package dev.sluice.starter.cli;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sluice cancel ID}: asks a run to stop, aborting its provider job. */
@Command(
    name = "cancel",
    description = {
      "Cancel a run: abort its provider job (delete a finished one) and discard its staged files.",
      "Nothing is published; a run already publishing finishes publishing and succeeds."
    },
    mixinStandardHelpOptions = true)
public final class CancelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "Workflow ID of the run.")
  String workflowId;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    return TemporalConnection.callRun(
        connection,
        err,
        workflowId,
        "no running run with ID '" + workflowId + "'",
        (temporal, run) -> {
          WorkflowExecutionStatus status = run.describe().getStatus();
          if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
            // The latest run with this ID has ended: a cancel request would change nothing.
            err.println(
                "run "
                    + workflowId
                    + " has already ended ("
                    + ListFilter.statusName(status)
                    + "); nothing to cancel");
            return ExitCodes.UNAVAILABLE;
          }
          run.cancel("cancelled from the sluice CLI");
          out.println("cancellation requested for " + workflowId);
          return ExitCodes.OK;
        });
  }
}
