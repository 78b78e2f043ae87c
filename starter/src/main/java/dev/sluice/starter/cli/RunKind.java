package dev.sluice.starter.cli;

import dev.sluice.pipeline.PipelineShape;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflow;
import dev.sluice.workflows.asyncingest.Progress;
import dev.sluice.workflows.filedownload.FileDownloadInput;
import dev.sluice.workflows.filedownload.FileDownloadProgress;
import dev.sluice.workflows.filedownload.FileDownloadResult;
import dev.sluice.workflows.filedownload.FileDownloadWorkflow;
import dev.sluice.workflows.platformingest.PlatformIngestInput;
import dev.sluice.workflows.platformingest.PlatformIngestProgress;
import dev.sluice.workflows.platformingest.PlatformIngestResult;
import dev.sluice.workflows.platformingest.PlatformIngestWorkflow;
import dev.sluice.workflows.workunits.WorkUnitsInput;
import dev.sluice.workflows.workunits.WorkUnitsProgress;
import dev.sluice.workflows.workunits.WorkUnitsResult;
import dev.sluice.workflows.workunits.WorkUnitsWorkflow;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The workflows a pipeline run can be, one per {@link PipelineShape} (which the model decides):
 * the one place that maps a shape to its workflow interface, input, progress and result. Every
 * kind shares the workflow ID scheme {@code ingest/<pipeline>/<logical-date>}, so every command
 * that only has an ID learns the kind from the server ({@link #ofWorkflowType}).
 */
public enum RunKind {
  /** An {@code async-http} source: submit, poll, extract. */
  ASYNC_INGEST(
      PipelineShape.ASYNC_INGEST,
      AsyncIngestWorkflow.class,
      AsyncIngestInput.class,
      AsyncIngestResult.class,
      Progress.class),
  /** A {@code platform-batches} source: a dataset's batches read from a data platform. */
  PLATFORM_INGEST(
      PipelineShape.PLATFORM_INGEST,
      PlatformIngestWorkflow.class,
      PlatformIngestInput.class,
      PlatformIngestResult.class,
      PlatformIngestProgress.class),
  /** A {@code files} source: list the files, then download each into the lake. */
  FILE_DOWNLOAD(
      PipelineShape.FILE_DOWNLOAD,
      FileDownloadWorkflow.class,
      FileDownloadInput.class,
      FileDownloadResult.class,
      FileDownloadProgress.class),
  /** An {@code async-http} source with {@code units}: one child run per listed unit. */
  WORK_UNITS(
      PipelineShape.WORK_UNITS,
      WorkUnitsWorkflow.class,
      WorkUnitsInput.class,
      WorkUnitsResult.class,
      WorkUnitsProgress.class);

  private final PipelineShape shape;
  private final Class<?> workflowInterface;
  private final Class<?> inputType;
  private final Class<?> resultType;
  private final Class<?> progressType;

  RunKind(
      PipelineShape shape,
      Class<?> workflowInterface,
      Class<?> inputType,
      Class<?> resultType,
      Class<?> progressType) {
    this.shape = shape;
    this.workflowInterface = workflowInterface;
    this.inputType = inputType;
    this.resultType = resultType;
    this.progressType = progressType;
  }

  /** The kind of run {@code spec} makes: its {@link PipelineSpec#shape() shape}'s. */
  public static RunKind of(PipelineSpec spec) {
    PipelineShape shape = spec.shape();
    return Arrays.stream(values())
        .filter(kind -> kind.shape == shape)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no run kind for " + shape));
  }

  /** The pipeline shape this kind runs. */
  public PipelineShape shape() {
    return shape;
  }

  /** The kind whose workflow type is {@code workflowType}, if it is a pipeline run. */
  public static Optional<RunKind> ofWorkflowType(String workflowType) {
    return Arrays.stream(values()).filter(k -> k.workflowType().equals(workflowType)).findFirst();
  }

  /** Every pipeline-run workflow type, as the server names them. */
  public static List<String> workflowTypes() {
    return Arrays.stream(values()).map(RunKind::workflowType).toList();
  }

  /**
   * The workflow type as the server knows it: the interface's simple name (neither interface
   * renames its {@code @WorkflowMethod}).
   */
  public String workflowType() {
    return workflowInterface.getSimpleName();
  }

  /** The workflow interface, for typed stubs and schedule actions. */
  public Class<?> workflowInterface() {
    return workflowInterface;
  }

  /** What the workflow returns. */
  public Class<?> resultType() {
    return resultType;
  }

  /** What its {@code progress} query answers. */
  public Class<?> progressType() {
    return progressType;
  }

  /**
   * The input of a fresh run of {@code spec}.
   *
   * @param logicalDate the window's end, or null for a run a Schedule starts
   * @param upsertStage whether the namespace has the Sluice search attributes
   */
  public Object input(PipelineSpec spec, String logicalDate, boolean upsertStage) {
    return switch (this) {
      case ASYNC_INGEST -> AsyncIngestInput.of(spec, logicalDate).withUpsertStage(upsertStage);
      case PLATFORM_INGEST ->
          PlatformIngestInput.of(spec, logicalDate).withUpsertStage(upsertStage);
      case WORK_UNITS -> WorkUnitsInput.of(spec, logicalDate, upsertStage);
      case FILE_DOWNLOAD -> FileDownloadInput.of(spec, logicalDate).withUpsertStage(upsertStage);
    };
  }

  /** The pipeline a run's input carries, or null when {@code input} is not this kind's. */
  static PipelineSpec pipelineOf(Object input) {
    if (input instanceof AsyncIngestInput a) {
      return a.pipeline();
    }
    if (input instanceof PlatformIngestInput p) {
      return p.pipeline();
    }
    if (input instanceof WorkUnitsInput w) {
      return w.pipeline();
    }
    if (input instanceof FileDownloadInput f) {
      return f.pipeline();
    }
    return null;
  }

  /** What the workflow takes. */
  public Class<?> inputType() {
    return inputType;
  }
}
