package dev.sluice.starter.cli;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.Progress;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import dev.sluice.workflows.platformingest.PlatformIngestProgress;
import dev.sluice.workflows.platformingest.PlatformIngestResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.io.PrintWriter;
import java.util.List;
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

  /**
   * Outcome of a watched run.
   *
   * @param result the run's result ({@link RunKind#resultType()}), or null when it failed
   * @param failure why it failed, or null when it succeeded
   */
  public record Outcome(Object result, String failure) {
    public boolean succeeded() {
      return result != null;
    }

    /**
     * The result as the kind's result type.
     *
     * @throws ClassCastException when the run was of another kind
     */
    public <R> R result(Class<R> type) {
      return type.cast(result);
    }
  }

  /**
   * Blocks until the run ends, printing progress; returns its result or its failure message.
   *
   * @param kind the run's kind, which says what its result and progress are
   */
  public Outcome watch(WorkflowClient client, String workflowId, RunKind kind)
      throws InterruptedException {
    WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
    CompletableFuture<?> result = stub.getResultAsync(kind.resultType());
    String last = "";
    while (true) {
      try {
        Object r = result.get(500, TimeUnit.MILLISECONDS);
        endLine(last);
        return new Outcome(r, null);
      } catch (TimeoutException e) {
        last = showProgress(stub, kind, last);
      } catch (ExecutionException e) {
        endLine(last);
        return new Outcome(null, failureMessage(e.getCause()));
      }
    }
  }

  private String showProgress(WorkflowStub stub, RunKind kind, String last) {
    String line;
    try {
      line = describe(stub.query("progress", kind.progressType()));
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

  /** One line for a {@code progress} query's answer, of either kind. */
  static String describe(Object progress) {
    if (progress instanceof PlatformIngestProgress p) {
      return describe(p);
    }
    if (progress instanceof dev.sluice.workflows.filedownload.FileDownloadProgress f) {
      return FilesReport.describe(f);
    }
    if (progress instanceof dev.sluice.workflows.workunits.WorkUnitsProgress u) {
      return UnitsReport.describe(u);
    }
    return describe((Progress) progress);
  }

  static String describe(PlatformIngestProgress p) {
    StringBuilder b = new StringBuilder(p.stage().name().toLowerCase(Locale.ROOT));
    if (p.batchesTotal() > 0 || p.batchesRead() > 0) {
      b.append("  batches ").append(p.batchesRead()).append('/').append(p.batchesTotal());
    }
    if (p.rows() > 0) {
      b.append("  rows ").append(p.rows());
    }
    if (p.lastBatchStatus() != null) {
      b.append("  latest batch ").append(p.lastBatchStatus());
    }
    return b.toString();
  }

  static String describe(Progress p) {
    StringBuilder b = new StringBuilder(p.stage().name().toLowerCase(Locale.ROOT));
    if (p.waitingFor() != null) {
      b.append("  ").append(p.waitingFor());
    }
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

  /**
   * Prints what a successful run published.
   *
   * @param result an {@link AsyncIngestResult} or a {@link PlatformIngestResult}
   * @param pipeline the run's pipeline, which says where expired deferred rows went; null when not
   *     known (the summary then names the deferral's expired table without its path)
   */
  public void printSummary(String workflowId, Object result, PipelineSpec pipeline) {
    if (result instanceof PlatformIngestResult p) {
      printSummary(workflowId, p, pipeline);
    } else if (result instanceof dev.sluice.workflows.filedownload.FileDownloadResult f) {
      FilesReport.print(out, workflowId, f);
    } else if (result instanceof dev.sluice.workflows.workunits.WorkUnitsResult u) {
      UnitsReport.print(out, err, workflowId, u);
    } else {
      printSummary(workflowId, (AsyncIngestResult) result, pipeline);
    }
  }

  private void printSummary(String workflowId, AsyncIngestResult r, PipelineSpec pipeline) {
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
    printWindow(r);
    var t = r.timings();
    out.printf(
        "  stages        submit %s, wait %s, extract %s, publish %s%n",
        Sizes.seconds(t.submitMillis()),
        Sizes.seconds(t.waitMillis()),
        Sizes.seconds(t.extractMillis()),
        Sizes.seconds(t.publishMillis()));
    printDeferral(r.deferral(), pipeline);
    printEgress(r.egress());
    if (r.cleanupWarning() != null) {
      err.println("  warning: " + r.cleanupWarning());
    }
  }

  /** The range the window owns, what a re-run replaced, and the parts of a split window. */
  private void printWindow(AsyncIngestResult r) {
    if (r.range() != null) {
      out.printf("  window range  (%s, %s]%n", r.range().from(), r.range().to());
    }
    if (r.replaced() != null) {
      out.printf(
          "  replaced      %s (a re-run of the window)%n",
          replaced(r.replaced().rows(), r.replaced().files(), r.rows(), r.files().size()));
    }
    if (!r.splits().isEmpty()) {
      out.printf("  split into    %d provider jobs (the window's first job was too large)%n",
          r.splits().size());
      for (AsyncIngestResult.SplitPart part : r.splits()) {
        out.printf(
            "                [%s, %s) %d row%s, job %s%n",
            part.from(), part.to(), part.rows(), plural(part.rows()), part.requestId());
      }
    }
    if (r.droppedRows() > 0) {
      out.printf(
          "  dropped       %d row%s the provider sent outside the window's range%n",
          r.droppedRows(), plural(r.droppedRows()));
    }
  }

  private void printSummary(String workflowId, PlatformIngestResult r, PipelineSpec pipeline) {
    out.println("run " + workflowId + " succeeded");
    List<PlatformIngestResult.ReadBatch> read = r.batches() == null ? List.of() : r.batches();
    int sourceFiles = read.stream().mapToInt(PlatformIngestResult.ReadBatch::sourceFiles).sum();
    out.printf(
        "  batches read  %d (%d source file%s)%s%n",
        read.size(),
        sourceFiles,
        sourceFiles == 1 ? "" : "s",
        read.isEmpty()
            ? ""
            : read.size() == 1
                ? ": " + read.get(0).batchId()
                : ": " + read.get(0).batchId() + " .. " + read.get(read.size() - 1).batchId());
    List<String> skipped = r.skipped() == null ? List.of() : r.skipped();
    if (!skipped.isEmpty()) {
      out.printf(
          "  skipped       %d (failed or aborted on the platform): %s%n",
          skipped.size(), String.join(", ", skipped));
    }
    if (r.more()) {
      out.println(
          "  more          yes: the window holds more batches than maxBatchesPerRun; the next run"
              + " continues from the watermark");
    }
    out.printf("  table         %s%n", r.tableUri());
    out.printf("  rows          %d%n", r.rows());
    List<String> files = r.files() == null ? List.of() : r.files();
    out.printf("  files         %d (%s)%n", files.size(), Sizes.human(r.bytes()));
    for (String f : files) {
      out.printf("                %s%n", f);
    }
    if (r.watermark() != null) {
      out.printf("  watermark     %s%n", r.watermark());
    }
    if (r.replaced() != null) {
      out.printf(
          "  replaced      %s (a re-run of the window, batches after %s up to %s)%n",
          replaced(r.replaced().rows(), r.replaced().files(), r.rows(), files.size()),
          r.replaced().from(),
          r.replaced().to());
    }
    if (r.settleChecks() > 0) {
      out.printf(
          "  settled       after %d check%s of the dataset's latest batch%n",
          r.settleChecks(), r.settleChecks() == 1 ? "" : "s");
    }
    printDeferral(r.deferral(), pipeline);
    printEgress(r.egress());
  }

  /** Deferral counts; rows past retention are named with where they went, on stderr too. */
  private void printDeferral(DeferralResult d, PipelineSpec pipeline) {
    if (d == null) {
      return;
    }
    out.printf(
        "  deferral      landed %d, deferred %d, released %d, superseded %d, expired %d%n",
        d.rows(), d.deferred(), d.released(), d.superseded(), d.expired());
    if (d.expired() > 0) {
      String where = expiredTable(pipeline);
      out.printf("  expired       %d row%s moved to %s%n", d.expired(), plural(d.expired()), where);
      // Not lost, but not published either: someone has to look at them.
      err.println(
          "  warning: "
              + d.expired()
              + " deferred row"
              + plural(d.expired())
              + " passed the retention window without completing and "
              + (d.expired() == 1 ? "was" : "were")
              + " moved to "
              + where);
    }
  }

  /**
   * Where rows past retention go, from the pipeline's deferral rule and sink; a generic name when
   * {@code pipeline} is null or defers nothing.
   */
  public static String expiredTable(PipelineSpec pipeline) {
    if (pipeline == null || pipeline.defer() == null || pipeline.sink() == null) {
      return "the deferral's expired table (<defer.path>/_expired)";
    }
    return pipeline.defer().expiredPath(pipeline.sink().lakeTable().path());
  }

  private void printEgress(BatchEgressResult e) {
    if (e == null) {
      return;
    }
    List<String> files = e.files() == null ? List.of() : e.files();
    out.printf(
        "  platform      batch %s %s, %d file%s (%s)%n",
        e.batchId(),
        e.status(),
        files.size(),
        files.size() == 1 ? "" : "s",
        Sizes.human(e.bytes()));
    if (!e.replaced().isEmpty()) {
      out.printf("  replaced      %s%n", String.join(", ", e.replaced()));
    }
    var t = e.timings();
    if (t != null) {
      out.printf(
          "  batch stages  create %s, upload %s, complete %s, processing %s (%d status check%s)%n",
          Sizes.seconds(t.createMillis()),
          Sizes.seconds(t.uploadMillis()),
          Sizes.seconds(t.completeMillis()),
          Sizes.seconds(t.processingMillis()),
          t.polls(),
          t.polls() == 1 ? "" : "s");
    }
    if (e.recordWarning() != null) {
      err.println("  warning: " + e.recordWarning());
    }
  }

  /** {@code 3 rows in 1 file by 4 rows in 2 files}: what a re-run of a window replaced. */
  private static String replaced(long oldRows, long oldFiles, long rows, long files) {
    return String.format(
        "%d row%s in %d file%s by %d row%s in %d file%s",
        oldRows,
        plural(oldRows),
        oldFiles,
        plural(oldFiles),
        rows,
        plural(rows),
        files,
        plural(files));
  }

  private static String plural(long n) {
    return n == 1 ? "" : "s";
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
