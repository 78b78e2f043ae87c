package dev.sluice.workflows.filedownload;

import dev.sluice.pipeline.PipelineSpec;
import io.soabase.recordbuilder.core.RecordBuilder;

/**
 * Input of {@link FileDownloadWorkflow}.
 *
 * @param pipeline the validated pipeline: a {@code files} source and a {@code files} sink
 * @param logicalDate the end of the window this run covers (ISO-8601), part of the workflow ID and
 *     of the run key; null for a run a Schedule starts
 * @param upsertStage whether the namespace has the Sluice search attributes registered
 * @param state where an earlier execution of this run stopped (continue-as-new), or null
 */
@RecordBuilder
public record FileDownloadInput(
    PipelineSpec pipeline, String logicalDate, boolean upsertStage, FileDownloadState state)
    implements FileDownloadInputBuilder.With {

  /** A fresh run. */
  public static FileDownloadInput of(PipelineSpec pipeline, String logicalDate) {
    return new FileDownloadInput(pipeline, logicalDate, false, null);
  }
}
