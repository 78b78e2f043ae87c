package dev.sluice.workflows.asyncingest;

import dev.sluice.pipeline.AnswerValues;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.TemplateVariables;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.WindowCommit;
import dev.sluice.workflows.common.SearchAttributes;
import dev.sluice.workflows.common.WindowRun;
import dev.sluice.workflows.common.Windows;
import io.temporal.workflow.Workflow;
import java.util.Map;

/** What every step of one async-ingest run derives from its input and workflow ID. */
final class AsyncRun extends WindowRun {
  final AsyncHttpSource source;
  final String id;

  /** The window's start: its logical date less the pipeline's window. */
  final String windowStart;

  final String staging;

  /** Extra template variables from the input (a work unit's value). */
  final Map<String, String> extra;

  /** The provider's host for activity summaries. */
  final String provider;

  /**
   * The part of a split window this run stages ({@link SplitJobWorkflow}), whose bounds replace the
   * window's in templates; null: the whole window.
   */
  SubWindow part;

  AsyncRun(AsyncIngestInput input) {
    super(input.pipeline(), input.logicalDate());
    String host = SearchAttributes.providerHost(spec);
    this.provider = host != null ? host : "the provider";
    this.source = (AsyncHttpSource) spec.source();
    this.id = Workflow.getInfo().getWorkflowId();
    this.windowStart = Windows.start(logicalDate, spec.window());
    this.staging = RunKeys.staging(table, key);
    this.extra = input.vars();
  }

  @Override
  public Map<String, String> windowVars(Map<String, String> extra) {
    Map<String, String> vars = super.windowVars(extra);
    if (part != null) {
      vars.putAll(Windows.vars(part.from(), part.to()));
    }
    return vars;
  }

  String watermarkColumn() {
    return spec.incremental() == null ? null : spec.incremental().column();
  }

  Map<String, String> baseVars(String watermark, String watermarkEnd) {
    // Extra variables first, so the run's own always win (validation forbids such names anyway).
    Map<String, String> vars = runVars(extra, id);
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
