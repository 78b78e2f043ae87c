package dev.sluice.workflows.fileingest;

import static dev.sluice.workflows.common.Failures.rootMessage;
import static dev.sluice.workflows.common.Failures.rootType;

import dev.sluice.pipeline.ParquetSink;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.FileMessages.StageFileRequest;
import dev.sluice.workflows.activities.FileMessages.StageFileResult;
import dev.sluice.workflows.activities.Messages.DiscardRequest;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.SourceFileActivities;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.fileingest.FileIngestProgress.Stage;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/** See {@link FileIngestWorkflow}. Deterministic: every effect is an activity. */
public final class FileIngestWorkflowImpl implements FileIngestWorkflow {
  private Stage stage = Stage.STAGING;
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
    uri = input.uri();
    check(input);
    // Files derive from dataset and URI, not from the workflow ID: a request started under another
    // ID still overwrites, never duplicates, the same file's rows.
    String key = RunKeys.of(FileIngestRequests.workflowId(input.dataset(), input.uri()));
    ParquetSink table = FileIngestRequests.table(input.tableUri());
    String staging = RunKeys.staging(table, key);
    try {
      StageFileResult staged =
          summarized(SourceFileActivities.class, ActivityProfiles.LONG_TRANSFER, "read " + uri)
              .stageSourceFile(
                  new StageFileRequest(input.uri(), input.format(), key, table, staging));
      rows = staged.rows();
      stage = Stage.PUBLISHING;
      PublishRequest publish = new PublishRequest(key, table, staging, staged.files(), null, null);
      // Publishing is the commit point: once it starts it finishes, so a cancellation arriving now
      // never leaves part of the file in the table.
      List<PublishResult> holder = new ArrayList<>(1);
      Workflow.newDetachedCancellationScope(
              () ->
                  holder.add(
                      summarized(
                              ParquetSinkActivities.class,
                              ActivityProfiles.SINK_CALL,
                              "publish to " + table.path())
                          .publish(publish)))
          .run();
      PublishResult published = holder.get(0);
      readAgainIfAsked(input);
      stage = Stage.DONE;
      return new FileIngestResult(
          input.uri(),
          published.tableUri(),
          published.files(),
          staged.rows(),
          published.bytes(),
          staged.sourceBytes());
    } catch (CanceledFailure e) {
      discardDetached(table, staging);
      throw e;
    } catch (TemporalFailure e) {
      if (CancellationScope.current().isCancelRequested()) {
        // The staging activity cancelled with the run fails as ActivityFailure: still a cancel.
        discardDetached(table, staging);
        throw new CanceledFailure("cancelled: " + rootMessage(e));
      }
      String problem = discard(table, staging);
      // Asked for again meanwhile: perhaps a repaired file; its new request supersedes this one.
      readAgainIfAsked(input);
      stage = Stage.FAILED;
      if (problem == null) {
        throw e;
      }
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          rootMessage(e) + "; clean-up also failed: " + problem, rootType(e), e);
    }
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

  @Override
  public FileIngestProgress progress() {
    return new FileIngestProgress(stage, uri, rows);
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
      stage = Stage.FAILED;
      throw ApplicationFailure.newNonRetryableFailure(problem, FailureType.INVALID_PIPELINE.type());
    }
  }

  private void discardDetached(ParquetSink table, String staging) {
    Workflow.newDetachedCancellationScope(() -> discard(table, staging)).run();
    stage = Stage.FAILED;
  }

  /** Deletes the staging; returns what went wrong, or null. Never throws over the first failure. */
  private String discard(ParquetSink table, String staging) {
    stage = Stage.CLEANING_UP;
    try {
      summarized(ParquetSinkActivities.class, ActivityProfiles.SINK_CALL, "discard " + staging)
          .discardStaging(new DiscardRequest(table, staging));
      return null;
    } catch (ActivityFailure e) {
      return "discarding staging " + staging + " failed: " + rootMessage(e);
    }
  }

  /** A stub whose calls carry {@code summary}, shown beside the activity in the Web UI. */
  private static <T> T summarized(Class<T> type, ActivityOptions profile, String summary) {
    return Workflow.newActivityStub(
        type, ActivityOptions.newBuilder(profile).setSummary(summary).build());
  }
}
