package dev.sluice.workflows.asyncingest;

import dev.sluice.pipeline.PipelineSpec;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.Map;

/**
 * Input of {@link SplitJobWorkflow}: one part of a split window. Build one with {@link
 * #newBuilder}; a component not set keeps its default (null, false, an empty map).
 *
 * @param pipeline the validated pipeline; required
 * @param logicalDate the window's logical date (the parent's, resolved); required
 * @param vars the parent's extra template variables (a work unit's value); default none
 * @param part the part's range; required
 * @param watermarkRange true: {@code part} is a range of the watermark ({@code ${watermark}} and
 *     {@code ${watermarkEnd}} are its bounds); false: of the window ({@code ${windowStart}}, {@code
 *     ${windowEnd}} and the window's days are)
 * @param watermark the part's {@code ${watermark}}, or null (not incremental)
 * @param watermarkEnd the part's {@code ${watermarkEnd}}, or null
 * @param keepFrom rows at or below this watermark are dropped, or null
 * @param keepTo rows above this watermark are dropped, or null
 * @param resumed state carried over a continue-as-new while waiting; default null: a fresh part
 */
@RecordBuilder
@RecordBuilder.Options(setterPrefix = "set", enableWither = false)
public record SplitJobInput(
    PipelineSpec pipeline,
    String logicalDate,
    Map<String, String> vars,
    SubWindow part,
    boolean watermarkRange,
    String watermark,
    String watermarkEnd,
    String keepFrom,
    String keepTo,
    WaitState resumed) {

  public SplitJobInput {
    vars = vars == null ? Map.of() : Map.copyOf(vars);
  }

  /** A builder of a part of {@code pipeline}'s window (the builder is generated). */
  public static SplitJobInputBuilder newBuilder(PipelineSpec pipeline) {
    return SplitJobInputBuilder.builder().setPipeline(pipeline);
  }

  /** This input, resuming from {@code state} after a continue-as-new. */
  SplitJobInput resumingFrom(WaitState state) {
    return SplitJobInputBuilder.builder(this).setResumed(state).build();
  }

  /** The run this part belongs to, as {@link AsyncRun} reads it. */
  AsyncIngestInput asIngestInput() {
    return AsyncIngestInput.newBuilder(pipeline).setLogicalDate(logicalDate).setVars(vars).build();
  }
}
