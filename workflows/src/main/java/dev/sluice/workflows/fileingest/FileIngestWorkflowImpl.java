package dev.sluice.workflows.fileingest;

import dev.sluice.pipeline.LakeTable;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.FileMessages.StageFileRequest;
import dev.sluice.workflows.activities.FileMessages.StageFileResult;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.SourceFileActivities;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.RunDetails;
import dev.sluice.workflows.common.StageTracker;
import dev.sluice.workflows.common.Landing;
import dev.sluice.workflows.common.Stubs;
import dev.sluice.workflows.fileingest.FileIngestProgress.Stage;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.List;

/** See {@link FileIngestWorkflow}. Deterministic: every effect is an activity. */
public final class FileIngestWorkflowImpl implements FileIngestWorkflow {
  private final StageTracker<Stage> stage = new StageTracker<>(Stage.STAGING);
  private String uri;
  private long rows;

  /**
   * Set by {@link #askedAgain}. Histories recorded before the signal existed never carry it, so
   * they never take the continue-as-new it leads to: no version marker is needed.
   */
  private boolean askedAgain;

  @Override
  public void askedAgain() {
    askedAgain = true;
  }

  @Override
  public FileIngestResult ingest(FileIngestInput input) {
    stage.describedBy(this::details);
    uri = input.uri();
    stage.refresh();
    check(input);
    // Files derive from dataset and URI, not from the workflow ID: a request started under another
    // ID still overwrites, never duplicates, the same file's rows.
    String key = RunKeys.of(FileIngestRequests.workflowId(input.dataset(), input.uri()));
    LakeTable table = FileIngestRequests.table(input.tableUri());
    String staging = RunKeys.staging(table, key);
    Landing landing =
        Landing.newBuilder((failure, cancelled) -> cleanUpAfter(input, table, staging, cancelled))
            .build();
    return landing.run(
        () -> {
          StageFileResult staged =
              Stubs.summarized(
                      SourceFileActivities.class, ActivityProfiles.LONG_TRANSFER, "read " + uri)
                  .stageSourceFile(
                      new StageFileRequest(input.uri(), input.format(), key, table, staging));
          rows = staged.rows();
          stage.enter(Stage.PUBLISHING);
          PublishRequest publish =
              new PublishRequest(key, table, staging, staged.files(), null, null);
          // Publishing is the commit point: a cancellation arriving now never leaves part of
          // the file in the table.
          PublishResult published = Landing.commit(() -> Landing.publish(publish));
          readAgainIfAsked(input);
          stage.enter(Stage.DONE);
          return new FileIngestResult(
              input.uri(),
              published.tableUri(),
              published.files(),
              staged.rows(),
              published.bytes(),
              staged.sourceBytes());
        });
  }

  /**
   * After a failure or a cancellation: the staging is discarded. A file asked for again meanwhile
   * (perhaps repaired) is read again: its new request supersedes this one.
   */
  private List<String> cleanUpAfter(
      FileIngestInput input, LakeTable table, String staging, boolean cancelled) {
    stage.enter(Stage.CLEANING_UP);
    String problem = Landing.discardStaging(table, staging);
    if (!cancelled) {
      readAgainIfAsked(input);
    }
    stage.enter(Stage.FAILED);
    return problem == null ? List.of() : List.of(problem);
  }

  /**
   * Continues as new, reading the file again, when it was asked for again during this ingest. The
   * check is in the task that would end the run: a signal after it makes the server refuse that
   * completion, and the run sees the signal here.
   */
  private void readAgainIfAsked(FileIngestInput input) {
    if (askedAgain) {
      Workflow.continueAsNew(input);
    }
  }

  /** What the Web UI shows as the run's current details. */
  private RunDetails details() {
    FileIngestProgress p = progress();
    return RunDetails.of(p.stage()).line("File", p.uri()).count("Rows", p.rows());
  }

  @Override
  public FileIngestProgress progress() {
    return new FileIngestProgress(stage.current(), uri, rows);
  }

  /** An input a worker cannot act on fails at once, naming the field. */
  private void check(FileIngestInput input) {
    String problem = null;
    if (input.uri() == null || input.uri().isBlank()) {
      problem = "uri: a file URI is required";
    } else if (FileIngestRequests.datasetProblem(input.dataset()) != null) {
      problem = "dataset: " + FileIngestRequests.datasetProblem(input.dataset());
    } else if (!FileIngestRequests.FORMATS.contains(input.format())) {
      problem = "format: '" + input.format() + "' is not one of " + FileIngestRequests.FORMATS;
    } else if (input.tableUri() == null || input.tableUri().isBlank()) {
      problem = "tableUri: the dataset's table directory is required";
    }
    if (problem != null) {
      stage.enter(Stage.FAILED);
      throw ApplicationFailure.newNonRetryableFailure(problem, FailureType.INVALID_PIPELINE.type());
    }
  }

}
