package dev.sluice.workflows.asyncingest;

import dev.sluice.pipeline.PipelineSpec;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.Map;

/**
 * Input of {@link AsyncIngestWorkflow}. Build one with {@link #newBuilder} (the builder is
 * generated at compile time): JSON recorded before a component existed reads with that component at
 * its default.
 *
 * @param pipeline the validated pipeline (secret references only); required
 * @param logicalDate the window this run covers (ISO-8601), offered to templates as {@code
 *     ${logicalDate}}; default null: a run a Schedule starts, which takes the time it was scheduled
 *     for (or, failing that, its start time)
 * @param resumed state carried over a continue-as-new while waiting; default null: a fresh run
 * @param upsertStage whether the namespace has the Sluice search attributes registered, so the
 *     workflow may upsert {@code SluiceStage} as it goes (an upsert of an unknown attribute would
 *     fail every workflow task); default false, as in inputs recorded before the flag existed
 * @param replay a re-run of a past window ({@code sluice replay}): {@code ${watermark}} is the
 *     window's start instead of the stored watermark, and the stored watermark is left as it is;
 *     default false
 * @param vars extra template variables, e.g. a work unit's value ({@code ${unit}}); they never
 *     replace the run's own variables; default null: none, as in inputs recorded before the field
 *     existed
 */
@RecordBuilder
@RecordBuilder.Options(setterPrefix = "set", enableWither = false)
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

  /**
   * A builder of a fresh run of {@code pipeline} (the builder is generated from this record). Every
   * other component starts at the default JSON recorded before it existed also reads as: no
   * logical date (a Schedule's run), not resumed, no stage upserts, not a replay, no extra
   * variables.
   */
  public static AsyncIngestInputBuilder newBuilder(PipelineSpec pipeline) {
    return AsyncIngestInputBuilder.builder().setPipeline(pipeline);
  }

  /** A fresh run. */
  public static AsyncIngestInput of(PipelineSpec pipeline, String logicalDate) {
    return newBuilder(pipeline).setLogicalDate(logicalDate).build();
  }

  /** A builder starting from this input. */
  public AsyncIngestInputBuilder toBuilder() {
    return AsyncIngestInputBuilder.builder(this);
  }

  /** This input, with stage upserts on or off. */
  public AsyncIngestInput withUpsertStage(boolean upsert) {
    return toBuilder().setUpsertStage(upsert).build();
  }

  /** This input, as a replay of its window. */
  public AsyncIngestInput asReplay() {
    return toBuilder().setReplay(true).build();
  }

  /** This input, resuming from {@code state} after a continue-as-new. */
  AsyncIngestInput resumingFrom(WaitState state) {
    return toBuilder().setResumed(state).build();
  }

  /** This input, with {@code extra} template variables (a work unit's value). */
  public AsyncIngestInput withVars(Map<String, String> extra) {
    return toBuilder().setVars(extra).build();
  }
}
