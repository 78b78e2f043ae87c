package dev.sluice.workflows.platformingest;

import dev.sluice.pipeline.PipelineSpec;
import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * Input of {@link PlatformIngestWorkflow}.
 *
 * @param pipeline the validated pipeline, its source a {@code platform-batches} source
 * @param logicalDate the end of the window this run covers (ISO-8601); null for a run a Schedule
 *     starts, which takes the time it was scheduled for
 * @param replay a re-run of a past window ({@code sluice replay}): reads the batches created in the
 *     window regardless of the watermark, and leaves the watermark as it is
 * @param upsertStage whether the namespace has the Sluice search attributes registered
 */
@RecordBuilder
public record PlatformIngestInput(
    PipelineSpec pipeline, String logicalDate, boolean replay, boolean upsertStage)
    implements PlatformIngestInputBuilder.With {

  /** A fresh, ordinary run. */
  public static PlatformIngestInput of(PipelineSpec pipeline, String logicalDate) {
    return new PlatformIngestInput(pipeline, logicalDate, false, false);
  }
}
