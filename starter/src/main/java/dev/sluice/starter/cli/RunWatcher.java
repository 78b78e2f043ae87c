package dev.sluice.starter.cli;

import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.Progress;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Follows a run: a live progress line while it runs, then a summary or the failure. */
public final class RunWatcher {
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean interactive;

  public RunWatcher(PrintWriter out, PrintWriter err, boolean interactive) {
    this.out = out;
    this.err = err;
    this.interactive = interactive;
  }

  /** Outcome of a watched run. */
  public record Outcome(AsyncIngestResult result, String failure) {
    public boolean succeeded() {
      return result != null;
    }
  }

  /** Blocks until the run ends, printing progress; returns its result or its failure message. */
  public Outcome watch(WorkflowClient client, String workflowId) throws InterruptedException {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    CompletableFuture<AsyncIngestResult> result = stub.getResultAsync(AsyncIngestResult.class);
    String last = "";
    while (true) {
      try {
        AsyncIngestResult r = result.get(500, TimeUnit.MILLISECONDS);
        endLine(last);
        return new Outcome(r, null);
      } catch (TimeoutException e) {
        last = showProgress(stub, last);
      } catch (ExecutionException e) {
        endLine(last);
        return new Outcome(null, failureMessage(e.getCause()));
      }
    }
  }

  private String showProgress(WorkflowStub stub, String last) {
    String line;
    try {
      line = describe(stub.query("progress", Progress.class));
    } catch (WorkflowException | io.grpc.StatusRuntimeException e) {
      return last; // between runs of a continue-as-new, or not started yet: try again shortly
    }
    if (interactive) {
      out.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
      out.flush();
    } else if (!stageOf(line).equals(stageOf(last))) {
      out.println(line);
    }
    return line;
  }

  private static String stageOf(String line) {
    int space = line.indexOf(' ');
    return space < 0 ? line : line.substring(0, space);
  }

  private void endLine(String last) {
    if (interactive && !last.isEmpty()) {
      out.println();
    }
  }

  static String describe(Progress p) {
    StringBuilder b = new StringBuilder(p.stage().name().toLowerCase(Locale.ROOT));
    if (p.requestId() != null) {
      b.append("  job ").append(p.requestId());
    }
    if (p.polls() > 0) {
      b.append("  checks ").append(p.polls());
    }
    if (p.providerState() != null) {
      b.append("  provider ").append(p.providerState());
    }
    if (p.rows() > 0) {
      b.append("  rows ").append(p.rows()).append("  ").append(Sizes.human(p.bytes()));
    }
    return b.toString();
  }

  /** Prints what a successful run published. */
  public void printSummary(String workflowId, AsyncIngestResult r) {
    out.println("run " + workflowId + " succeeded");
    out.printf("  provider job  %s (%d status checks)%n", r.requestId(), r.polls());
    out.printf("  table         %s%n", r.tableUri());
    out.printf(
        "  rows          %d from %d page%s%n", r.rows(), r.pages(), r.pages() == 1 ? "" : "s");
    out.printf("  files         %d (%s)%n", r.files().size(), Sizes.human(r.bytes()));
    for (String f : r.files()) {
      out.printf("                %s%n", f);
    }
    if (r.watermark() != null) {
      out.printf("  watermark     %s%n", r.watermark());
    }
    var t = r.timings();
    out.printf(
        "  stages        submit %s, wait %s, extract %s, publish %s%n",
        Sizes.seconds(t.submitMillis()),
        Sizes.seconds(t.waitMillis()),
        Sizes.seconds(t.extractMillis()),
        Sizes.seconds(t.publishMillis()));
    if (r.cleanupWarning() != null) {
      err.println("  warning: " + r.cleanupWarning());
    }
  }

  /** The innermost, most specific message of a run's failure. */
  static String failureMessage(Throwable e) {
    // The outermost application failure is the most complete: the workflow's own (with clean-up
    // notes) or, for an activity that failed, the activity's.
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure a) {
        return a.getOriginalMessage();
      }
      if (t instanceof CanceledFailure) {
        return "cancelled";
      }
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return Objects.toString(root.getMessage(), root.getClass().getSimpleName());
  }
}
