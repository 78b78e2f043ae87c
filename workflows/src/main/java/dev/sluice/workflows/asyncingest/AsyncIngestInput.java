package dev.sluice.workflows.asyncingest;

import dev.sluice.pipeline.PipelineSpec;

/**
 * Input of {@link AsyncIngestWorkflow}.
 *
 * @param pipeline    the validated pipeline (secret references only)
 * @param logicalDate the window this run covers (ISO-8601), offered to templates as
 *                    {@code ${logicalDate}}
 * @param resumed     state carried over a continue-as-new while waiting; null on a fresh run
 */
public record AsyncIngestInput(PipelineSpec pipeline, String logicalDate, WaitState resumed) {

  /** A fresh run. */
  public static AsyncIngestInput of(PipelineSpec pipeline, String logicalDate) {
    return new AsyncIngestInput(pipeline, logicalDate, null);
  }
}
