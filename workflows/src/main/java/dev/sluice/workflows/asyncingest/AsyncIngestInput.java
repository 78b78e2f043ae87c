package dev.sluice.workflows.asyncingest;

import dev.sluice.pipeline.PipelineSpec;
import java.util.Map;

/**
 * Input of {@link AsyncIngestWorkflow}. Build one with {@link #newBuilder}: JSON recorded before a
 * component existed reads with that component at its builder default.
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

  /**
   * A builder of a fresh run of {@code pipeline}. Every other component starts at the default JSON
   * recorded before it existed also reads as: no logical date (a Schedule's run), not resumed, no
   * stage upserts, not a replay, no extra variables.
   */
  public static Builder newBuilder(PipelineSpec pipeline) {
    return new Builder(pipeline);
  }

  /** A fresh run. */
  public static AsyncIngestInput of(PipelineSpec pipeline, String logicalDate) {
    return newBuilder(pipeline).setLogicalDate(logicalDate).build();
  }

  /** A builder starting from this input. */
  public Builder toBuilder() {
    return new Builder(pipeline)
        .setLogicalDate(logicalDate)
        .setResumed(resumed)
        .setUpsertStage(upsertStage)
        .setReplay(replay)
        .setVars(vars);
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

  /** Builds an {@link AsyncIngestInput}; see the record's components for what each means. */
  public static final class Builder {
    private final PipelineSpec pipeline;
    private String logicalDate;
    private WaitState resumed;
    private boolean upsertStage;
    private boolean replay;
    private Map<String, String> vars = Map.of();

    private Builder(PipelineSpec pipeline) {
      this.pipeline = pipeline;
    }

    /** The window's end; default null: the time a Schedule's run was scheduled for. */
    public Builder setLogicalDate(String value) {
      logicalDate = value;
      return this;
    }

    /** State carried over a continue-as-new; default null: a fresh run. */
    public Builder setResumed(WaitState value) {
      resumed = value;
      return this;
    }

    /** Whether the workflow may upsert its stage; default false. */
    public Builder setUpsertStage(boolean value) {
      upsertStage = value;
      return this;
    }

    /** Whether this re-runs a past window; default false. */
    public Builder setReplay(boolean value) {
      replay = value;
      return this;
    }

    /** Extra template variables; default none. */
    public Builder setVars(Map<String, String> value) {
      vars = value;
      return this;
    }

    /** The input. */
    public AsyncIngestInput build() {
      return new AsyncIngestInput(pipeline, logicalDate, resumed, upsertStage, replay, vars);
    }
  }
}
