package dev.sluice.starter.cli;

import dev.sluice.workflows.filedownload.FileDownloadProgress;
import dev.sluice.workflows.filedownload.FileDownloadResult;
import java.io.PrintWriter;
import java.util.Locale;

/** How {@code run}, {@code status} show a file download run: its progress line and summary. */
final class FilesReport {
  private FilesReport() {}

  /** One progress line, e.g. {@code downloading files 12/40 skipped 3 4.1 MB}. */
  static String describe(FileDownloadProgress p) {
    StringBuilder b = new StringBuilder(p.stage().name().toLowerCase(Locale.ROOT));
    if (p.listed() > 0) {
      b.append("  files ")
          .append(p.downloaded() + p.skipped() + p.failed())
          .append('/')
          .append(p.listed());
    }
    if (p.skipped() > 0) {
      b.append("  skipped ").append(p.skipped());
    }
    if (p.failed() > 0) {
      b.append("  failed ").append(p.failed());
    }
    if (p.bytes() > 0) {
      b.append("  ").append(Sizes.human(p.bytes()));
    }
    return b.toString();
  }

  /** What a successful run listed, downloaded and skipped. */
  static void print(PrintWriter out, String workflowId, FileDownloadResult r) {
    out.println("run " + workflowId + " succeeded");
    out.printf("  landed in     %s%n", r.landingUri());
    out.printf(
        "  listed        %d file%s (%s)%n", r.listed(), r.listed() == 1 ? "" : "s", r.listingUri());
    out.printf("  downloaded    %d (%s)%n", r.downloaded(), Sizes.human(r.bytes()));
    out.printf("  skipped       %d already landed with the same size and time%n", r.skipped());
    if (r.executions() > 1) {
      out.printf("  executions    %d (continued as new)%n", r.executions());
    }
  }
}
