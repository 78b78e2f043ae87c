package dev.sluice.workflows.common;

import dev.sluice.pipeline.LakeTable;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.batchegress.BatchEgressInput;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import dev.sluice.workflows.batchegress.BatchEgressWorkflow;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * What every ingest workflow does with a run's staged files before it publishes them, shared by
 * {@code AsyncIngestWorkflow} and {@code PlatformIngestWorkflow}: split off the rows that are not
 * yet complete ({@link #defer}), then send the rest to a platform sink as one batch ({@link #send})
 * and wait for the platform to accept it. Workflow code: deterministic, every effect an activity or
 * a child workflow.
 */
public final class Delivery {
  private Delivery() {}

  /**
   * Staged files ready to publish.
   *
   * @param stagingUri the directory holding {@code files}
   * @param files file names relative to {@code stagingUri}
   */
  public record Staged(String stagingUri, List<String> files) {

    /** Their URIs, in order. */
    public List<String> uris() {
      List<String> uris = new ArrayList<>(files.size());
      String base = stagingUri.endsWith("/") ? stagingUri : stagingUri + "/";
      files.forEach(f -> uris.add(base + f));
      return uris;
    }
  }

  /**
   * Applies the pipeline's deferral rule to the staged files, if it has one.
   *
   * @return what to publish, and the deferral's counts (null without a rule)
   */
  public static Deferred defer(PipelineSpec spec, LakeTable table, String runKey, Staged staged) {
    if (spec.defer() == null) {
      return new Deferred(staged, null);
    }
    DeferralResult result;
    try {
      result =
          Stubs.summarized(
                  ParquetSinkActivities.class,
                  ActivityProfiles.LONG_TRANSFER,
                  "apply the deferral rule to " + staged.files().size() + " staged files")
              .applyDeferral(
                  new DeferralRequest(
                      runKey,
                      table,
                      staged.stagingUri(),
                      staged.files(),
                      spec.defer(),
                      Workflow.currentTimeMillis()));
    } catch (TemporalFailure e) {
      throw asCancellation(e, "applying the deferral rule");
    }
    metrics(spec).counter(DEFERRED_ROWS_METRIC).inc(result.deferred());
    return new Deferred(new Staged(result.stagingUri(), result.files()), result);
  }

  /**
   * @param staged what to publish
   * @param result the deferral's counts, or null when the pipeline defers nothing
   */
  public record Deferred(Staged staged, DeferralResult result) {}

  /**
   * Sends the staged files to the sink's platform as one batch, as a child workflow ({@code
   * egress/ingest/<pipeline>/<logical-date>}), and waits until the platform accepts it. The
   * window's earlier batch, if any, is superseded through the platform's {@code replay} block. A
   * cancellation of the run cancels the child, which aborts the batch.
   *
   * @return the batch, or null when the sink is not a platform or there is nothing to send (a run
   *     without rows creates no batch)
   * @throws io.temporal.failure.ChildWorkflowFailure when the batch failed, with the platform's
   *     errors verbatim as its cause
   */
  public static BatchEgressResult send(
      PipelineSpec spec, String windowId, String runKey, Staged staged) {
    PlatformBatchSink sink = spec.sink().destination().orElse(null);
    if (sink == null || staged.files().isEmpty()) {
      return null;
    }
    try {
      BatchEgressResult sent =
          forward(
              sink,
              windowId,
              "send " + windowId + " to dataset " + sink.datasetId(),
              staged,
              runKey);
      countBatch(spec, "accepted");
      return sent;
    } catch (TemporalFailure e) {
      TemporalFailure failure = asCancellation(e, "sending the batch");
      if (!(failure instanceof CanceledFailure)) {
        countBatch(spec, rejectedByPlatform(e) ? "rejected" : "failed");
      }
      throw failure;
    }
  }

  /**
   * Sends {@code staged} to {@code sink}'s platform as one batch, as a child workflow ({@code
   * egress/<label>}, shown with {@code summary}), and waits until the platform accepts it. The
   * batch is recorded under the run key, so a later run of the same key supersedes it.
   *
   * @throws io.temporal.failure.ChildWorkflowFailure when the batch failed
   */
  public static BatchEgressResult forward(
      PlatformBatchSink sink, String label, String summary, Staged staged, String runKey) {
    return Workflow.newChildWorkflowStub(
            BatchEgressWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(BatchEgressWorkflow.workflowId(label))
                .setStaticSummary(summary)
                .build())
        .run(
            BatchEgressInput.newBuilder(sink, staged.uris(), label)
                .setRecordUri(RunKeys.sentBatch(sink.lakeTable(), runKey))
                .build());
  }

  /**
   * Counter of batches handed to a platform, by {@code pipeline} and {@code outcome} ({@code
   * accepted}; {@code rejected}: the platform failed the batch; {@code failed}: it never became
   * final, or could not be sent); Prometheus {@code sluice_batch_outcomes_total}. A cancelled run's
   * batch is not counted. Recorded by the workflow, which alone sees the batch's end; {@code
   * Workflow.getMetricsScope()} records nothing during replay, so nothing counts twice.
   */
  public static final String BATCH_OUTCOMES_METRIC = "sluice_batch_outcomes";

  /**
   * Counter of rows a run put in the deferred table (new ones and ones deferred again), by {@code
   * pipeline}; Prometheus {@code sluice_deferred_rows_total}. A row deferred over three runs counts
   * three times: the counter measures deferral work, the deferred table's size is in each run's
   * result.
   */
  public static final String DEFERRED_ROWS_METRIC = "sluice_deferred_rows";

  private static com.uber.m3.tally.Scope metrics(PipelineSpec spec) {
    return Workflow.getMetricsScope().tagged(java.util.Map.of("pipeline", spec.name()));
  }

  private static void countBatch(PipelineSpec spec, String outcome) {
    metrics(spec)
        .tagged(java.util.Map.of("outcome", outcome))
        .counter(BATCH_OUTCOMES_METRIC)
        .inc(1);
  }

  private static boolean rejectedByPlatform(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.temporal.failure.ApplicationFailure a
          && dev.sluice.workflows.activities.FailureType.PLATFORM_BATCH_FAILED.type().equals(
              a.getType())) {
        return true;
      }
    }
    return false;
  }

  /**
   * An activity or child cancelled with the run fails as {@code ActivityFailure} or {@code
   * ChildWorkflowFailure}, not {@code CanceledFailure}; callers clean up after a {@code
   * CanceledFailure} in a detached scope, which they could not do from the cancelled one (every
   * clean-up activity would fail at once).
   */
  private static TemporalFailure asCancellation(TemporalFailure e, String doing) {
    if (e instanceof CanceledFailure || !CancellationScope.current().isCancelRequested()) {
      return e;
    }
    return new CanceledFailure("cancelled while " + doing);
  }
}
