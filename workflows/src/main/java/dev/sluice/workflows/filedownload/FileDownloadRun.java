package dev.sluice.workflows.filedownload;

import dev.sluice.pipeline.FilesSource;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.TemplateVariables;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.common.LogicalDates;
import dev.sluice.workflows.common.SearchAttributes;
import dev.sluice.workflows.common.TaskQueues;
import dev.sluice.workflows.common.Windows;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every step of a file download derives from the input and the workflow's info. */
final class FileDownloadRun {
  final PipelineSpec spec;
  final FilesSource source;
  final String logicalDate;
  final String windowId;
  final String key;
  final String landing;
  final ParquetSink table;
  final String firstRunId;
  final String listingUri;
  final String incoming;
  final String idempotencyKey;

  FileDownloadRun(FileDownloadInput input) {
    this.spec = input.pipeline();
    this.source = (FilesSource) spec.source();
    this.logicalDate = LogicalDates.resolve(input.logicalDate());
    this.windowId = TaskQueues.ingestWorkflowId(spec.name(), logicalDate);
    this.key = RunKeys.of(windowId);
    this.table = spec.sink().table();
    this.landing = table.path();
    this.firstRunId = Workflow.getInfo().getFirstExecutionRunId();
    this.listingUri = FileDownloadPaths.listing(landing, key);
    this.incoming = FileDownloadPaths.incoming(landing, key);
    // As for a submit: unique to this run of the window, the same across continue-as-new.
    this.idempotencyKey = windowId + "/" + Workflow.getInfo().getFirstExecutionRunId();
  }

  /** The run as a lease holder: stable across retries and continue-as-new. */
  Holder holder() {
    return new Holder(Workflow.getInfo().getWorkflowId(), firstRunId);
  }

  String sourceName() {
    if (source.httpListing()) {
      String host = SearchAttributes.host(source.listing().url());
      return host != null ? host : "the listing endpoint";
    }
    return source.prefix();
  }

  Map<String, String> vars() {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put(TemplateVariables.PIPELINE, spec.name());
    vars.put(TemplateVariables.LOGICAL_DATE, logicalDate);
    vars.put(TemplateVariables.WINDOW_START, Windows.start(logicalDate, spec.window()));
    vars.put(TemplateVariables.WINDOW_END, logicalDate);
    vars.put(TemplateVariables.RUN_ID, windowId);
    vars.put(TemplateVariables.IDEMPOTENCY_KEY, idempotencyKey);
    return vars;
  }
}
