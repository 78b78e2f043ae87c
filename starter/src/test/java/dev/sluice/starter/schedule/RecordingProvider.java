package dev.sluice.starter.schedule;

import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.CleanupRequest;
import dev.sluice.workflows.activities.Messages.CleanupResult;
import dev.sluice.workflows.activities.Messages.DiscardRequest;
import dev.sluice.workflows.activities.Messages.DiscardResult;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.Messages.ReceiptRequest;
import dev.sluice.workflows.activities.Messages.ReceiptResult;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.StatusResult;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.SubmitResult;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.Messages.WatermarkResult;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Activities that succeed at once and remember what each submit was asked, with its run key; the
 * submits of pipelines named in {@link #refusing} fail, not to be retried.
 */
public final class RecordingProvider implements HttpJobActivities, ParquetSinkActivities {
  public final List<Map<String, String>> submitVars = new CopyOnWriteArrayList<>();
  public final List<String> submitRunKeys = new CopyOnWriteArrayList<>();

  /** Pipelines whose submits the provider refuses (a non-retryable failure: the run fails). */
  public final Set<String> refusing = ConcurrentHashMap.newKeySet();

  @Override
  public ReceiptResult submitted(ReceiptRequest request) {
    return new ReceiptResult(null, null); // a refused export wrote no receipt
  }

  @Override
  public synchronized SubmitResult submit(SubmitRequest request) {
    // Synchronized: the two lists stay index for index when several runs submit at once.
    for (String pipeline : refusing) {
      if (request.runKey().startsWith("ingest_" + pipeline + "_")) {
        throw ApplicationFailure.newNonRetryableFailure(
            "the provider refused the export of " + pipeline, "TestRefusal");
      }
    }
    submitVars.add(request.vars());
    submitRunKeys.add(request.runKey());
    return new SubmitResult("job-" + submitVars.size(), false);
  }

  /** Pipelines whose jobs stay {@code queued}: their runs wait until cancelled. */
  public final Set<String> queued = ConcurrentHashMap.newKeySet();

  @Override
  public StatusResult checkStatus(StatusRequest request) {
    if (queued.contains(request.vars().get("pipeline"))) {
      return new StatusResult("queued", Outcome.PENDING, null, null, null);
    }
    return new StatusResult("done", Outcome.READY, null, null, null);
  }

  @Override
  public ExtractResult extract(ExtractRequest request) {
    return new ExtractResult(
        1, 10, List.of("part-" + request.runKey() + "-00000.parquet"), 1, null);
  }

  @Override
  public dev.sluice.workflows.activities.PartMessages.Plan planParts(
      dev.sluice.workflows.activities.PartMessages.PlanRequest request) {
    throw new UnsupportedOperationException("no result in parts here");
  }

  @Override
  public ExtractResult extractPart(dev.sluice.workflows.activities.PartMessages.PartRequest request) {
    throw new UnsupportedOperationException("no result in parts here");
  }

  @Override
  public CleanupResult abort(CleanupRequest request) {
    return new CleanupResult(false, 0);
  }

  @Override
  public CleanupResult delete(CleanupRequest request) {
    return new CleanupResult(false, 0);
  }

  @Override
  public WatermarkResult readWatermark(WatermarkRequest request) {
    return new WatermarkResult(null);
  }

  @Override
  public PublishResult publish(PublishRequest request) {
    return new PublishResult(request.sink().path(), request.files(), 10);
  }

    @Override
    public dev.sluice.workflows.activities.WindowMessages.OpenWindowResult openWindow(
        dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest request) {
      return new dev.sluice.workflows.activities.WindowMessages.OpenWindowResult(
          null, null, false, null);
    }

    @Override
    public dev.sluice.workflows.activities.WindowMessages.FirstWindowResult firstWindow(
        dev.sluice.workflows.activities.WindowMessages.FirstWindowRequest request) {
      throw new UnsupportedOperationException("only platform windows older than the watermark ask");
    }

    @Override
    public dev.sluice.workflows.activities.WindowMessages.ReleaseWindowResult releaseWindow(
        dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest request) {
      return new dev.sluice.workflows.activities.WindowMessages.ReleaseWindowResult(0);
    }

  @Override
  public DiscardResult discardStaging(DiscardRequest request) {
    return new DiscardResult(false);
  }

  @Override
  public dev.sluice.workflows.activities.Messages.DeferralResult applyDeferral(
      dev.sluice.workflows.activities.Messages.DeferralRequest request) {
    throw new UnsupportedOperationException("these tests' pipelines defer nothing");
  }
}
