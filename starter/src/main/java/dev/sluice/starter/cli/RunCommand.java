package dev.sluice.starter.cli;

import dev.sluice.starter.spec.LoadedPipeline;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice run FILE [--wait]}: validates a pipeline and starts a run. */
@Command(
    name = "run",
    description =
        "Validate a pipeline and start a run on the workers; with --wait, follow it to the end.",
    mixinStandardHelpOptions = true)
public final class RunCommand extends PipelineFileCommand {
  @Mixin ConnectionOptions connection;
  @Mixin TaskQueueOption queue;

  @Option(
      names = "--logical-date",
      paramLabel = "WHEN",
      description =
          "The window this run covers (ISO instant or date); default: now. Part of the workflow"
              + " ID.")
  String logicalDate;

  @Option(
      names = "--wait",
      description = "Show live progress and a summary; exit 1 if the run fails.")
  boolean await;

  @Override
  int run(LoadedPipeline loaded, PrintWriter out, PrintWriter err) throws InterruptedException {
    String date;
    try {
      date = PipelineRuns.logicalDate(logicalDate);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    PipelineFiles.printSecretNotes(loaded, err);
    return TemporalConnection.call(
        connection,
        err,
        temporal -> {
          try {
            String id =
                PipelineRuns.start(
                    temporal.client(), queue.taskQueue(), loaded.spec(), date);
            out.println("started " + id + " on task queue '" + queue.taskQueue() + "'");
            return DetachNotice.notFollowing(out, id, await)
                ? ExitCodes.OK
                : follow(temporal, id, loaded, out, err);
          } catch (WorkflowExecutionAlreadyStarted e) {
            return DetachNotice.alreadyRunning(
                err, "a run of this window is already in progress", e);
          }
        });
  }

  private static int follow(
      TemporalConnection temporal,
      String id,
      LoadedPipeline loaded,
      PrintWriter out,
      PrintWriter err)
      throws InterruptedException {
    RunWatcher watcher = new RunWatcher(out, err, System.console() != null);
    RunWatcher.Outcome outcome;
    // Ctrl-C stops following, not the run: say so, and how to follow or stop it.
    try (DetachNotice detach = DetachNotice.register(err, id)) {
      outcome = watcher.watch(temporal.client(), id, RunKind.of(loaded.spec()));
    }
    if (outcome.succeeded()) {
      watcher.printSummary(id, outcome.result(), loaded.spec());
      // A work-units run that completed with failed units exits 1, as a replay does.
      return UnitsReport.exitCode(outcome.result());
    }
    err.println("run " + id + " failed: " + outcome.failure());
    return ExitCodes.RUN_FAILED;
  }
}
