package dev.sluice.workflows.filedownload;

import dev.sluice.pipeline.FilesSource;
import dev.sluice.workflows.common.SearchAttributes;
import dev.sluice.workflows.common.WindowRun;
import java.util.Map;

/** What every step of a file download derives from the input and the workflow's info. */
final class FileDownloadRun extends WindowRun {
  final FilesSource source;
  final String landing;
  final String listingUri;
  final String incoming;

  FileDownloadRun(FileDownloadInput input) {
    super(input.pipeline(), input.logicalDate());
    this.source = (FilesSource) spec.source();
    this.landing = table.path();
    this.listingUri = FileDownloadPaths.listing(landing, key);
    this.incoming = FileDownloadPaths.incoming(landing, key);
  }

  String sourceName() {
    if (source.httpListing()) {
      String host = SearchAttributes.host(source.listing().url());
      return host != null ? host : "the listing endpoint";
    }
    return source.prefix();
  }

  /** The run's template variables; its run ID is the window's (as for a submit). */
  Map<String, String> vars() {
    return runVars(Map.of(), windowId);
  }
}
