package dev.sluice.pipeline;

/**
 * Which workflow runs a pipeline: the one definition the CLI ({@code RunKind}), its Schedules and
 * {@code ReplayWorkflow} share. Decided by the source and whether the pipeline has work units.
 */
public enum PipelineShape {
  /** An {@code async-http} source: submit, poll, extract ({@code AsyncIngestWorkflow}). */
  ASYNC_INGEST("AsyncIngestWorkflow", true),
  /** An {@code async-http} source with {@code units}: runs per unit ({@code WorkUnitsWorkflow}). */
  WORK_UNITS("WorkUnitsWorkflow", true),
  /** A {@code platform-batches} source: a dataset's batches ({@code PlatformIngestWorkflow}). */
  PLATFORM_INGEST("PlatformIngestWorkflow", true),
  /**
   * A {@code files} source: list, then download ({@code FileDownloadWorkflow}). It lists what the
   * source holds now whatever the window, so it has no past windows to replay.
   */
  FILE_DOWNLOAD("FileDownloadWorkflow", false);

  private final String workflowType;
  private final boolean replayable;

  PipelineShape(String workflowType, boolean replayable) {
    this.workflowType = workflowType;
    this.replayable = replayable;
  }

  /** The shape of {@code spec}. */
  public static PipelineShape of(PipelineSpec spec) {
    SourceSpec source = spec.source();
    if (source instanceof AsyncHttpSource) {
      return spec.units() != null ? WORK_UNITS : ASYNC_INGEST;
    }
    if (source instanceof PlatformBatchesSource) {
      return PLATFORM_INGEST;
    }
    if (source instanceof FilesSource) {
      return FILE_DOWNLOAD;
    }
    // SourceSpec is sealed: a new source type must be given its shape here.
    throw new IllegalArgumentException("no workflow runs a " + source.getClass().getSimpleName());
  }

  /** The workflow type as the server knows it (its interface's simple name). */
  public String workflowType() {
    return workflowType;
  }

  /** Whether {@code sluice replay} can re-run past windows of this shape. */
  public boolean replayable() {
    return replayable;
  }
}
