package dev.sluice.workflows.common;

import dev.sluice.pipeline.LakeTable;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.TemplateVariables;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every run of a pipeline's window derives from its input and the workflow's info, the same
 * way in every workflow: the resolved logical date, the window, the key its files are named by, the
 * table it lands in, the run as a lease holder and the template variables a window defines. Each
 * workflow's own run (its source and paths) extends it. Workflow code only: it reads {@code Workflow.getInfo()}.
 */
public class WindowRun {
  public final PipelineSpec spec;

  /** The window's end: the input's logical date, or the time a Schedule started the run for. */
  public final String logicalDate;

  /**
   * {@code ingest/<pipeline>/<logical-date>}: the window, whichever workflow ID runs it. Files
   * derive from the window, not from the workflow ID: a scheduled run (ID {@code
   * ingest/<p>-<time>}) and a manual run of the same window ({@code ingest/<p>/<date>}) overwrite
   * each other's files instead of duplicating rows.
   */
  public final String windowId;

  /** The window's run key (see {@link RunKeys}). */
  public final String key;

  /** The first run of this workflow's chain: the same across retries and continue-as-new. */
  public final String firstRunId;

  /** The table the run lands in. */
  public final LakeTable table;

  /**
   * The window of {@code spec} ending at {@code logicalDate} (null: see {@link LogicalDates}),
   * landing in the sink's table.
   */
  public WindowRun(PipelineSpec spec, String logicalDate) {
    this(spec, logicalDate, spec.sink().lakeTable());
  }

  /** The same, landing in {@code table} (the sink's, with options of the run's own). */
  protected WindowRun(PipelineSpec spec, String logicalDate, LakeTable table) {
    this.spec = spec;
    this.table = table;
    this.logicalDate = LogicalDates.resolve(logicalDate);
    this.windowId = TaskQueues.ingestWorkflowId(spec.name(), this.logicalDate);
    this.key = RunKeys.of(windowId);
    this.firstRunId = Workflow.getInfo().getFirstExecutionRunId();
  }

  /** The run as a lease holder: stable across retries and continue-as-new. */
  public Holder holder() {
    return new Holder(Workflow.getInfo().getWorkflowId(), firstRunId);
  }

  /**
   * The window's template variables after {@code extra} (so the window's own always win): {@code
   * pipeline}, {@code logicalDate}, {@code windowStart} (the logical date less the pipeline's
   * window), {@code windowEnd}, {@code windowFirstDay} and {@code windowLastDay} (see {@link
   * Windows#vars}).
   */
  public Map<String, String> windowVars(Map<String, String> extra) {
    Map<String, String> vars = new LinkedHashMap<>(extra);
    vars.put(TemplateVariables.PIPELINE, spec.name());
    vars.put(TemplateVariables.LOGICAL_DATE, logicalDate);
    vars.putAll(Windows.vars(Windows.start(logicalDate, spec.window()), logicalDate));
    return vars;
  }

  /**
   * {@link #windowVars} and the run's: {@code runId} and {@code idempotencyKey}, {@code runId}
   * followed by the first run's ID: unique to this run of the window, the same for every retry
   * and across continue-as-new, what a provider's idempotency key should be ({@code runId} alone
   * repeats when a window is run again).
   */
  public Map<String, String> runVars(Map<String, String> extra, String runId) {
    Map<String, String> vars = windowVars(extra);
    vars.put(TemplateVariables.RUN_ID, runId);
    vars.put(TemplateVariables.IDEMPOTENCY_KEY, runId + "/" + firstRunId);
    return vars;
  }
}
