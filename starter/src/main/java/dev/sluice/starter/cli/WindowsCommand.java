package dev.sluice.starter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.windows.WindowJournals;
import dev.sluice.workflows.batchwindow.BatchWindowWorkflow;
import dev.sluice.workflows.batchwindow.Route;
import dev.sluice.workflows.batchwindow.Routes;
import dev.sluice.workflows.batchwindow.WindowJournal;
import dev.sluice.workflows.batchwindow.WindowJournal.ActionOutcome;
import dev.sluice.workflows.batchwindow.WindowView;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice windows ROUTE}: a route's windows, from their journals, newest first. */
@Command(
    name = "windows",
    description = {
      "List a route's batch windows, newest first, from the journals beside its table.",
      "Each window's files, rows loaded, platform batch, deferred actions and outcome; then the"
          + " open window."
    },
    mixinStandardHelpOptions = true)
public final class WindowsCommand extends CliCommand {
  @Mixin ConnectionOptions connection;
  @Mixin RoutesOption routes;

  @Parameters(paramLabel = "ROUTE", description = "The route's name.")
  String route;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Show at most N windows (default: ${DEFAULT-VALUE}).",
      defaultValue = "20")
  int limit;

  @Option(
      names = "--no-open",
      description = "Do not ask Temporal for the open window (journals only, no server needed).")
  boolean noOpen;

  @Override
  public Integer call() {
    var out = out();
    var err = err();
    Routes loaded = routes.load(err);
    if (loaded == null) {
      return ExitCodes.INVALID_INPUT;
    }
    Route r = loaded.named(route).orElse(null);
    if (r == null) {
      err.println(
          "no route '"
              + route
              + "' in "
              + routes.file()
              + "; its routes are: "
              + loaded.routes().stream().map(Route::name).collect(Collectors.joining(", ")));
      return ExitCodes.INVALID_INPUT;
    }
    List<WindowJournal> journals;
    try {
      journals =
          new WindowJournals(
                  new ObjectMapper(), new HadoopFiles(HadoopFiles.defaultConfiguration()))
              .list(r.sink().lakeTable(), r.name());
    } catch (ApplicationFailure e) {
      // No file system serves the table's scheme here: HadoopFiles says so as it does to workers.
      err.println("cannot read the windows of route " + r.name() + ": " + e.getOriginalMessage());
      return ExitCodes.INVALID_INPUT;
    } catch (UncheckedIOException e) {
      // The store refused or a journal is unreadable; Jackson adds the excerpt on later lines.
      err.println(
          "cannot read the windows of route "
              + r.name()
              + ": "
              + e.getMessage().lines().findFirst().orElse(""));
      return ExitCodes.UNAVAILABLE;
    }
    if (journals.isEmpty()) {
      out.println("no windows of route " + r.name() + " in " + r.sink().lakeTable().path() + " yet");
    } else {
      print(out, journals.subList(0, Math.min(limit, journals.size())));
      if (journals.size() > limit) {
        out.println("(" + (journals.size() - limit) + " older windows not shown; --limit N)");
      }
    }
    if (noOpen) {
      return ExitCodes.OK;
    }
    try (TemporalConnection temporal = TemporalConnection.open(connection)) {
      WorkflowStub stub =
          temporal.client().newUntypedWorkflowStub(BatchWindowWorkflow.workflowId(r.name()));
      if (stub.describe().getWorkflowExecutionInfo().getStatus()
          != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        out.println("open: none");
        return ExitCodes.OK;
      }
      printOpen(out, stub.query("window", WindowView.class));
      return ExitCodes.OK;
    } catch (TemporalConnection.UnavailableException e) {
      err.println("open window not shown: " + e.getMessage());
      return ExitCodes.UNAVAILABLE;
    } catch (StatusRuntimeException | io.temporal.client.WorkflowNotFoundException e) {
      if (!TemporalConnection.isNotFound(e)) {
        throw e;
      }
      out.println("open: none");
      return ExitCodes.OK;
    }
  }

  static void print(PrintWriter out, List<WindowJournal> journals) {
    out.printf(
        "%-34s %-22s %-24s %5s %8s  %s%n",
        "WINDOW", "OUTCOME", "OPENED", "FILES", "ROWS", "BATCH / ACTIONS");
    for (WindowJournal j : journals) {
      String rows = j.load() == null ? "-" : Long.toString(j.load().rows());
      StringBuilder tail = new StringBuilder();
      if (j.load() != null && j.load().batchId() != null) {
        tail.append("batch ").append(j.load().batchId()).append("; ");
      }
      tail.append(
          j.actions().isEmpty()
              ? "no actions"
              : j.actions().stream().map(WindowsCommand::action).collect(Collectors.joining("; ")));
      out.printf(
          "%-34s %-22s %-24s %5d %8s  %s%n",
          j.windowId(), j.outcome(), j.openedAt(), j.files().size(), rows, tail);
      if (j.error() != null) {
        out.println("    error: " + j.error());
      }
      if (j.load() != null && !j.load().missing().isEmpty()) {
        out.println("    missing: " + String.join(", ", j.load().missing()));
      }
    }
  }

  private static String action(ActionOutcome a) {
    return a.type() + (a.ok() ? " ok" : " FAILED") + " (" + a.detail() + ")";
  }

  private static void printOpen(PrintWriter out, WindowView view) {
    if (view.windowId() == null) {
      out.println("open: starting");
      return;
    }
    out.println(
        "open: "
            + view.windowId()
            + " "
            + view.stage()
            + ", "
            + view.files().size()
            + " files, closes at "
            + view.closesAt()
            + (view.next().isEmpty() ? "" : ", " + view.next().size() + " waiting for the next"));
  }
}
