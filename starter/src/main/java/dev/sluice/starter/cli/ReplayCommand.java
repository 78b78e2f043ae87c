package dev.sluice.starter.cli;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.starter.spec.LoadedPipeline;
import dev.sluice.workflows.common.SearchAttributes;
import dev.sluice.workflows.common.WorkflowIds;
import dev.sluice.workflows.replay.ReplayInput;
import dev.sluice.workflows.replay.ReplayResult;
import dev.sluice.workflows.replay.ReplayWindows;
import dev.sluice.workflows.replay.ReplayWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice replay FILE --from T1 --to T2 [--parallel N] [--wait]}: re-runs every window of a
 * pipeline in a range as one {@link ReplayWorkflow}.
 */
@Command(
    name = "replay",
    description = {
      "Re-run every window of a pipeline between --from and --to (batch replay).",
      "Each window runs again as its own run (ingest/<pipeline>/<window end>) and overwrites what"
          + " it published; a platform sink's new batch supersedes the one the window was sent"
          + " as. The stored watermark is left as it is."
    },
    mixinStandardHelpOptions = true)
public final class ReplayCommand extends PipelineFileCommand {
  /** The workflow type of replays, as the server names it. */
  static final String WORKFLOW_TYPE = ReplayWorkflow.class.getSimpleName();

  @Mixin ConnectionOptions connection;
  @Mixin TaskQueueOption queue;

  @Option(
      names = "--from",
      required = true,
      paramLabel = "T1",
      description =
          "Start of the first window, an ISO-8601 instant (2026-11-01T00:00:00Z). --to minus"
              + " --from must be a whole number of the pipeline's windows.")
  String from;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "T2",
      description = "End of the last window, an ISO-8601 instant.")
  String to;

  @Option(
      names = "--parallel",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Windows run at once (default ${DEFAULT-VALUE}: one after another, oldest first).")
  int parallel;

  @Option(
      names = "--wait",
      description =
          "Print each window's outcome as it finishes, then a table; exit 1 unless every window"
              + " succeeded.")
  boolean await;

  @Override
  public Integer call() throws Exception {
    if (parallel < 1) {
      err().println("--parallel must be at least 1, got " + parallel);
      return ExitCodes.INVALID_INPUT;
    }
    return super.call();
  }

  @Override
  int run(LoadedPipeline loaded, PrintWriter out, PrintWriter err) throws InterruptedException {
    PipelineSpec pipeline = loaded.spec();
    if (!pipeline.shape().replayable()) {
      // A files source lists what the source holds now, whatever the window: nothing to replay.
      err.println(
          file.path()
              + ": a files source has no windows to replay; run it again with `sluice run` (files"
              + " already landed unchanged are skipped)");
      return ExitCodes.INVALID_INPUT;
    }
    List<String> windows;
    try {
      windows = ReplayWindows.between(from, to, pipeline.window());
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    // Canonical instants, so 2026-11-01T00:00Z and 2026-11-01T00:00:00Z name the same replay.
    String start = Instant.parse(from).toString();
    String end = Instant.parse(to).toString();
    String id = WorkflowIds.replay(pipeline.name(), start, end);
    return TemporalConnection.call(
        connection,
        err,
        temporal -> {
          WorkflowClient client = temporal.client();
          boolean visible = PipelineRuns.searchAttributesRegistered(client);
          WorkflowStub stub =
              client.newUntypedWorkflowStub(WORKFLOW_TYPE, options(id, pipeline, visible));
          try {
            stub.start(new ReplayInput(pipeline, start, end, parallel, visible));
          } catch (WorkflowExecutionAlreadyStarted e) {
            return DetachNotice.alreadyRunning(err, "this replay is already running", e);
          }
          out.printf(
              "started %s: %d window%s of %s from %s to %s, %s, on task queue '%s'%n",
              id,
              windows.size(),
              windows.size() == 1 ? "" : "s",
              pipeline.window(),
              start,
              end,
              parallel == 1 ? "one at a time" : "up to " + parallel + " at once",
              queue.taskQueue());
          return DetachNotice.notFollowing(out, id, await)
              ? ExitCodes.OK
              : follow(stub, id, out, err);
        });
  }

  private WorkflowOptions options(String id, PipelineSpec pipeline, boolean visible) {
    WorkflowOptions.Builder options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(id)
            .setTaskQueue(queue.taskQueue())
            // A finished replay of the same range may be replayed again; a running one is refused.
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setMemo(PipelineRuns.memo(pipeline));
    if (visible) {
      // Only the pipeline: the kind and stage attributes describe single runs, not a replay.
      options.setTypedSearchAttributes(
          io.temporal.common.SearchAttributes.newBuilder()
              .set(SearchAttributes.PIPELINE, pipeline.name())
              .build());
    }
    return options.build();
  }

  /** Reports windows as they finish, then the table; 0 only if every window succeeded. */
  static int follow(WorkflowStub stub, String id, PrintWriter out, PrintWriter err)
      throws InterruptedException {
    ReplayReport report = new ReplayReport(out);
    CompletableFuture<ReplayResult> result = stub.getResultAsync(ReplayResult.class);
    while (true) {
      try {
        ReplayResult done = result.get(500, TimeUnit.MILLISECONDS);
        report.reportFinished(done);
        out.println();
        report.printTable(done);
        return ReplayReport.allSucceeded(done) ? ExitCodes.OK : ExitCodes.RUN_FAILED;
      } catch (TimeoutException e) {
        try {
          report.reportFinished(stub.query("progress", ReplayResult.class));
        } catch (WorkflowException | io.grpc.StatusRuntimeException notYet) {
          // Not started on a worker yet, or between workflow tasks: ask again shortly.
        }
      } catch (ExecutionException e) {
        err.println("replay " + id + " failed: " + RunWatcher.failureMessage(e.getCause()));
        return ExitCodes.RUN_FAILED;
      }
    }
  }
}
