package dev.sluice.starter.cli;

import dev.sluice.workflows.replay.ReplayResult;
import dev.sluice.workflows.replay.ReplayResult.Status;
import dev.sluice.workflows.replay.ReplayResult.Window;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How a replay's windows read on a terminal: one line per window as it finishes, and a final table.
 * Shared by {@code sluice replay --wait} and {@code sluice status replay/...}.
 */
final class ReplayReport {
  private final PrintWriter out;
  private final Set<String> reported = new HashSet<>();

  ReplayReport(PrintWriter out) {
    this.out = out;
  }

  /** Prints a line for each window of {@code progress} that has finished since the last call. */
  void reportFinished(ReplayResult progress) {
    if (progress == null || progress.windows() == null) {
      return;
    }
    for (Window w : progress.windows()) {
      if (finished(w) && reported.add(w.logicalDate())) {
        out.println("  " + line(w));
      }
    }
    out.flush();
  }

  /** The windows of {@code result} in a table, then how many succeeded. */
  void printTable(ReplayResult result) {
    List<Window> windows = result.windows() == null ? List.of() : result.windows();
    int dateWidth = "WINDOW END".length();
    for (Window w : windows) {
      dateWidth = Math.max(dateWidth, w.logicalDate().length());
    }
    String format = "%-" + dateWidth + "s  %-9s  %10s  %s";
    out.println(String.format(format, "WINDOW END", "STATUS", "ROWS", "PLATFORM BATCH / ERROR"));
    for (Window w : windows) {
      String row =
          String.format(
              format,
              w.logicalDate(),
              statusName(w.status()),
              w.status() == Status.SUCCEEDED ? Long.toString(w.rows()) : "-",
              detail(w));
      out.println(row.stripTrailing());
    }
    long succeeded = windows.stream().filter(w -> w.status() == Status.SUCCEEDED).count();
    out.printf("%d of %d window%s succeeded%n", succeeded, windows.size(), plural(windows.size()));
  }

  /** Whether every window of {@code result} succeeded (and there is at least one). */
  static boolean allSucceeded(ReplayResult result) {
    return result.windows() != null
        && !result.windows().isEmpty()
        && result.windows().stream().allMatch(w -> w.status() == Status.SUCCEEDED);
  }

  /** {@code succeeded 2026-11-02T00:00:00Z 1000 rows batch B (replaces A)}. */
  static String line(Window w) {
    StringBuilder b =
        new StringBuilder(String.format("%-9s %s", statusName(w.status()), w.logicalDate()));
    if (w.status() == Status.SUCCEEDED) {
      b.append("  ").append(w.rows()).append(" row").append(plural(w.rows()));
    }
    String detail = detail(w);
    if (!detail.isEmpty()) {
      b.append("  ").append(detail);
    }
    return b.toString();
  }

  private static String detail(Window w) {
    if (w.status() == Status.FAILED) {
      return w.error() == null ? "" : w.error();
    }
    if (w.batchId() == null) {
      return "";
    }
    List<String> replaced = w.replaced() == null ? List.of() : w.replaced();
    return "batch "
        + w.batchId()
        + (replaced.isEmpty() ? "" : " (replaces " + String.join(", ", replaced) + ")");
  }

  private static boolean finished(Window w) {
    return w.status() == Status.SUCCEEDED || w.status() == Status.FAILED;
  }

  private static String statusName(Status status) {
    return status == null ? "-" : status.name().toLowerCase(Locale.ROOT);
  }

  private static String plural(long n) {
    return n == 1 ? "" : "s";
  }
}
