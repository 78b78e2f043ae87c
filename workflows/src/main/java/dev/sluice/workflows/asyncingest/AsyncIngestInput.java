package dev.sluice.workflows.asyncingest;

import dev.sluice.pipeline.PipelineSpec;
import java.util.Map;

/**
 * Input of {@link AsyncIngestWorkflow}.
 *
 * @param pipeline the validated pipeline (secret references only)
 * @param logicalDate the window this run covers (ISO-8601), offered to templates as {@code
 *     ${logicalDate}}; null for a run a Schedule starts, which takes the time it was scheduled for
 *     (or, failing that, its start time)
 * @param resumed state carried over a continue-as-new while waiting; null on a fresh run
 * @param upsertStage whether the namespace has the Sluice search attributes registered, so the
 *     workflow may upsert {@code SluiceStage} as it goes (an upsert of an unknown attribute would
 *     fail every workflow task); false in inputs recorded before the flag existed
 * @param replay a re-run of a past window ({@code sluice replay}): {@code ${watermark}} is the
 *     window's start instead of the stored watermark, and the stored watermark is left as it is
 * @param vars extra template variables, e.g. a work unit's value ({@code ${unit}}); they never
 *     replace the run's own variables; empty in inputs recorded before the field existed
 */
public record AsyncIngestInput(
    PipelineSpec pipeline,
    String logicalDate,
    WaitState resumed,
    boolean upsertStage,
    boolean replay,
    Map<String, String> vars) {

  public AsyncIngestInput {
    vars = vars == null ? Map.of() : Map.copyOf(vars);
  }

  /** As before the extra variables existed. */
  public AsyncIngestInput(
      PipelineSpec pipeline,
      String logicalDate,
      WaitState resumed,
      boolean upsertStage,
      boolean replay) {
    this(pipeline, logicalDate, resumed, upsertStage, replay, Map.of());
  }

  /** As before the replay flag existed. */
  public AsyncIngestInput(
      PipelineSpec pipeline, String logicalDate, WaitState resumed, boolean upsertStage) {
    this(pipeline, logicalDate, resumed, upsertStage, false);
  }

  /** As before the stage flag existed: no stage upserts. */
  public AsyncIngestInput(PipelineSpec pipeline, String logicalDate, WaitState resumed) {
    this(pipeline, logicalDate, resumed, false, false);
  }

  /** A fresh run. */
  public static AsyncIngestInput of(PipelineSpec pipeline, String logicalDate) {
    return new AsyncIngestInput(pipeline, logicalDate, null);
  }

  /** This input, with stage upserts on or off. */
  public AsyncIngestInput withUpsertStage(boolean upsert) {
    return new AsyncIngestInput(pipeline, logicalDate, resumed, upsert, replay, vars);
  }

  /** This input, as a replay of its window. */
  public AsyncIngestInput asReplay() {
    return new AsyncIngestInput(pipeline, logicalDate, resumed, upsertStage, true, vars);
  }

  /** This input, resuming from {@code state} after a continue-as-new. */
  AsyncIngestInput resumingFrom(WaitState state) {
    return new AsyncIngestInput(pipeline, logicalDate, state, upsertStage, replay, vars);
  }

  /** This input, with {@code extra} template variables (a work unit's value). */
  public AsyncIngestInput withVars(Map<String, String> extra) {
    return new AsyncIngestInput(pipeline, logicalDate, resumed, upsertStage, replay, extra);
  }
}
