package dev.sluice.starter.cli;

import dev.sluice.workflows.activities.UnitMessages.UnitReport;
import dev.sluice.workflows.activities.UnitMessages.UnitStatus;
import dev.sluice.workflows.workunits.WorkUnitsProgress;
import dev.sluice.workflows.workunits.WorkUnitsResult;
import java.io.PrintWriter;
import java.util.Locale;

/** How {@code run --wait} and {@code status} show a work-units run: progress, then a summary. */
final class UnitsReport {
  private UnitsReport() {}

  /** One progress line: {@code running units 12/40 done 10 failed 1 running 4}. */
  static String describe(WorkUnitsProgress p) {
    StringBuilder b = new StringBuilder(p.stage().name().toLowerCase(Locale.ROOT));
    if (p.planned() > 0) {
      b.append("  units ").append(p.started()).append('/').append(p.planned());
      b.append("  done ").append(p.succeeded());
      b.append("  failed ").append(p.failed());
      b.append("  running ").append(p.running());
    }
    return b.toString();
  }

  /** The summary: this run's units one by one, then the store's counts. */
  static void print(PrintWriter out, PrintWriter err, String workflowId, WorkUnitsResult r) {
    out.printf(
        "run %s %s: %d unit%s, %d succeeded, %d failed%n",
        workflowId,
        r.failed() == 0 ? "succeeded" : "finished with failed units",
        r.planned(),
        r.planned() == 1 ? "" : "s",
        r.succeeded(),
        r.failed());
    out.printf("  table         %s%n", r.tableUri());
    out.printf("  rows          %d%n", r.rows());
    out.printf(
        "  units         %d listed: %d done, %d failed, %d pending%n",
        r.listed(), r.done(), r.failedTotal(), r.pending());
    int width = 4;
    for (UnitReport u : r.units()) {
      width = Math.max(width, u.unit().length());
    }
    if (!r.units().isEmpty()) {
      out.printf("  %-" + width + "s  %-7s %10s  %s%n", "unit", "status", "rows", "partition");
    }
    for (UnitReport u : r.units()) {
      out.printf(
          "  %-" + width + "s  %-7s %10d  %s%n",
          u.unit(),
          u.status().name().toLowerCase(Locale.ROOT),
          u.rows(),
          u.status() == UnitStatus.FAILED ? "error: " + u.error() : u.partitionUri());
    }
    if (r.truncated()) {
      out.printf(
          "  ...           %d more: every unit of this run is listed in %s%n",
          r.planned() - r.units().size(), r.reportUri());
    }
    if (r.failedTotal() > 0 || r.pending() > 0) {
      out.printf(
          "  next run      takes %d failed unit%s first, then %d pending%n",
          r.failedTotal(), r.failedTotal() == 1 ? "" : "s", r.pending());
    }
    if (r.failed() > 0) {
      err.println(
          "  warning: "
              + r.failed()
              + " unit"
              + (r.failed() == 1 ? "" : "s")
              + " failed; the next run retries "
              + (r.failed() == 1 ? "it" : "them")
              + " first");
    }
  }

  /** 1 when a unit of the run failed, as a replay with a failed window; else 0. */
  static int exitCode(Object result) {
    return result instanceof WorkUnitsResult r && r.failed() > 0
        ? ExitCodes.RUN_FAILED
        : ExitCodes.OK;
  }
}
