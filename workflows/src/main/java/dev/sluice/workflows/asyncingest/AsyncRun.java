package dev.sluice.workflows.asyncingest;

import dev.sluice.pipeline.AnswerValues;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.TemplateVariables;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.activities.WindowMessages.WindowCommit;
import dev.sluice.workflows.common.LogicalDates;
import dev.sluice.workflows.common.SearchAttributes;
import dev.sluice.workflows.common.TaskQueues;
import dev.sluice.workflows.common.Windows;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every step of one async-ingest run derives from its input and workflow ID. */
final class AsyncRun {
  final PipelineSpec spec;
  final String logicalDate;
  final AsyncHttpSource source;
  final ParquetSink table;
  final String id;

  /** {@code ingest/<pipeline>/<logical-date>}: the window, whichever workflow ID runs it. */
  final String windowId;

  final String key;

  /** The window's start: its logical date less the pipeline's window. */
  final String windowStart;

  final String staging;
  final String firstRunId;

  /** Extra template variables from the input (a work unit's value). */
  final Map<String, String> extra;

  /** The provider's host for activity summaries. */
  final String provider;

  AsyncRun(AsyncIngestInput input) {
    this.spec = input.pipeline();
    this.logicalDate = LogicalDates.resolve(input.logicalDate());
    String host = SearchAttributes.providerHost(spec);
    this.provider = host != null ? host : "the provider";
    this.source = (AsyncHttpSource) spec.source();
    this.table = spec.sink().table();
    this.id = Workflow.getInfo().getWorkflowId();
    // Files derive from the window (pipeline and logical date), not from the workflow ID: a
    // scheduled run (ID ingest/<p>-<time>) and a manual run of the same window
    // (ingest/<p>/<date>) overwrite each other's files instead of duplicating rows.
    this.windowId = TaskQueues.ingestWorkflowId(spec.name(), logicalDate);
    this.key = RunKeys.of(windowId);
    this.windowStart = Windows.start(logicalDate, spec.window());
    this.staging = RunKeys.staging(table, key);
    this.firstRunId = Workflow.getInfo().getFirstExecutionRunId();
    this.extra = input.vars();
  }

  String watermarkColumn() {
    return spec.incremental() == null ? null : spec.incremental().column();
  }

  /** The run as a lease holder: stable across retries and continue-as-new. */
  Holder holder() {
    return new Holder(id, firstRunId);
  }

  Map<String, String> baseVars(String watermark, String watermarkEnd) {
    // Extra variables first, so the run's own always win (validation forbids such names anyway).
    Map<String, String> vars = new LinkedHashMap<>(extra);
    vars.put(TemplateVariables.PIPELINE, spec.name());
    vars.put(TemplateVariables.LOGICAL_DATE, logicalDate);
    vars.put(TemplateVariables.WINDOW_START, windowStart);
    vars.put(TemplateVariables.WINDOW_END, logicalDate);
    vars.put(TemplateVariables.RUN_ID, id);
    // Unique to this run of the window, the same for every retry of its submit: what a
    // provider's idempotency key should be. (The workflow ID alone repeats when a window is
    // run again.)
    vars.put(TemplateVariables.IDEMPOTENCY_KEY, id + "/" + firstRunId);
    if (watermark != null) {
      vars.put(TemplateVariables.WATERMARK, watermark);
    }
    if (watermarkEnd != null) {
      vars.put(TemplateVariables.WATERMARK_END, watermarkEnd);
    }
    return vars;
  }

  Map<String, String> vars(WaitState w) {
    Map<String, String> vars = baseVars(w.watermark(), w.watermarkEnd());
    vars.put(TemplateVariables.REQUEST_ID, w.requestId());
    if (w.submitValues() != null) {
      w.submitValues().forEach((pointer, value) -> vars.put(AnswerValues.SUBMIT + pointer, value));
    }
    return vars;
  }

  /** Step 3's request: the job's result into the run's staging. */
  ExtractRequest extractRequest(WaitState wait) {
    return new ExtractRequest(
        key,
        source,
        vars(wait),
        table,
        staging,
        watermarkColumn(),
        // A window owns (from, to]: rows outside it belong to other windows.
        wait.windowed() && watermarkColumn() != null ? wait.watermark() : null,
        wait.windowed() && wait.replaced() != null ? wait.replaced().to() : null);
  }

  /** What the publish records as the window's range: a re-run keeps the one it re-read. */
  WindowCommit commit(WaitState wait, ExtractResult extracted) {
    String from = watermarkColumn() == null ? null : wait.watermark();
    String to;
    if (watermarkColumn() == null) {
      to = null;
    } else if (wait.replaced() != null) {
      to = wait.replaced().to();
    } else {
      to = extracted.maxWatermark() != null ? extracted.maxWatermark() : from;
    }
    return new WindowCommit(
        key,
        logicalDate,
        holder(),
        Workflow.getInfo().getRunId(),
        watermarkColumn(),
        from,
        to);
  }
}
