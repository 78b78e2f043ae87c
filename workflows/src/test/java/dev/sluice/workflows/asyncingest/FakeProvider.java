package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.*;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowResult;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowResult;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scripted activities for workflow tests: a provider job that turns ready (or failed) after a set
 * number of checks, transient failures on demand, and a record of every call with its workflow
 * time.
 */
class FakeProvider implements HttpJobActivities, ParquetSinkActivities {
  private final TestWorkflowEnvironment env;

  int readyAfterPolls = 3;
  String failWithMessage;

  /** Status checks that throw a retryable 429 (with Retry-After) before answering. */
  final AtomicInteger transientStatusFailures = new AtomicInteger();

  /** When set, every status check fails with a retryable HTTP 500 (no Retry-After). */
  volatile boolean statusEndpointDown;

  /** Workflow time of every status check attempt, failed ones included. */
  final List<Long> statusAttemptTimes = new CopyOnWriteArrayList<>();

  /** Extract attempts that fail with a dropped connection before one succeeds. */
  final AtomicInteger transientExtractFailures = new AtomicInteger();

  boolean malformedExtract;

  /** The highest watermark the extract reports; null: no row had one. */
  volatile String extractMaxWatermark = "2026-01-02T00:00:00.000Z";

  /** Rows the extract reports dropped outside the window's range. */
  volatile long extractDropped;

  volatile ExtractRequest lastExtract;
  String previousWatermark;

  final AtomicInteger submits = new AtomicInteger();
  final AtomicInteger extracts = new AtomicInteger();
  final AtomicInteger aborts = new AtomicInteger();
  final AtomicInteger deletes = new AtomicInteger();
  final AtomicInteger publishes = new AtomicInteger();
  final AtomicInteger discards = new AtomicInteger();
  final List<Long> statusCheckTimes = new CopyOnWriteArrayList<>();
  final List<String> requestIdsSeen = new CopyOnWriteArrayList<>();
  final List<Map<String, String>> submitVars = new CopyOnWriteArrayList<>();
  volatile PublishRequest lastPublish;
  private final AtomicInteger polls = new AtomicInteger();

  FakeProvider(TestWorkflowEnvironment env) {
    this.env = env;
  }

  /** When set, submit attempts from the {@link #submitFailsFrom}th on fail with this. */
  volatile RuntimeException submitFailure;

  /** The first submit attempt (counting from 1) that {@link #submitFailure} fails. */
  volatile int submitFailsFrom = 1;

  /** When set, each submit attempt waits (in real time) until it opens. */
  volatile java.util.concurrent.CountDownLatch submitGate;

  /** When set, every abort fails with this. */
  volatile RuntimeException abortFailure;

  /** The job the run's submit receipt names; null: no receipt was written. */
  volatile String receiptJob;

  /** The submit answer's values the receipt holds, with {@link #receiptJob}. */
  volatile Map<String, String> receiptValues;

  /** Receipt URIs read with {@code submitted}. */
  final List<String> receiptReads = new CopyOnWriteArrayList<>();

  /** The template variables of every abort. */
  final List<Map<String, String>> abortVars = new CopyOnWriteArrayList<>();

  @Override
  public SubmitResult submit(SubmitRequest request) {
    int n = submits.incrementAndGet();
    submitVars.add(request.vars());
    if (submitGate != null) {
      try {
        submitGate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    if (submitFailure != null && n >= submitFailsFrom) {
      throw submitFailure;
    }
    return new SubmitResult("job-42", false);
  }

  @Override
  public ReceiptResult submitted(ReceiptRequest request) {
    receiptReads.add(request.receiptUri());
    return new ReceiptResult(receiptJob, receiptJob == null ? null : receiptValues);
  }

  @Override
  public StatusResult checkStatus(StatusRequest request) {
    requestIdsSeen.add(request.vars().get("requestId"));
    statusAttemptTimes.add(env.currentTimeMillis());
    if (statusEndpointDown) {
      throw ApplicationFailure.newFailure(
          "HTTP 500 Internal Server Error from http://provider/jobs/job-42",
          FailureType.HTTP_TRANSIENT.type());
    }
    if (transientStatusFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw ApplicationFailure.newBuilder()
          .setMessage("HTTP 429 Too Many Requests")
          .setType(FailureType.HTTP_TRANSIENT.type())
          .setNextRetryDelay(Duration.ofSeconds(3))
          .build();
    }
    statusCheckTimes.add(env.currentTimeMillis());
    int n = polls.incrementAndGet();
    if (n < readyAfterPolls) {
      return new StatusResult("InProgress", Outcome.PENDING, null, null, null);
    }
    if (failWithMessage != null) {
      return new StatusResult("Failed", Outcome.FAILED, failWithMessage, null, null);
    }
    return new StatusResult("JobComplete", Outcome.READY, null, null, null);
  }

  @Override
  public ExtractResult extract(ExtractRequest request) {
    extracts.incrementAndGet();
    requestIdsSeen.add(request.vars().get("requestId"));
    if (malformedExtract) {
      throw ApplicationFailure.newNonRetryableFailure(
          "page 2, line 7: unterminated quoted field", FailureType.MALFORMED_DATA.type());
    }
    if (transientExtractFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw ApplicationFailure.newFailure("connection reset", FailureType.HTTP_TRANSIENT.type());
    }
    lastExtract = request;
    return new ExtractResult(
        1234, 56789, List.of("part-a-00000.parquet"), 3, extractMaxWatermark, extractDropped);
  }

  /** How a result in parts answers (see {@code ResultPartsTest}); null: it has none. */
  interface Parts {
    dev.sluice.workflows.activities.PartMessages.Plan planParts(
        dev.sluice.workflows.activities.PartMessages.PlanRequest request);

    ExtractResult extractPart(dev.sluice.workflows.activities.PartMessages.PartRequest request);
  }

  volatile Parts parts;

  @Override
  public dev.sluice.workflows.activities.PartMessages.Plan planParts(
      dev.sluice.workflows.activities.PartMessages.PlanRequest request) {
    return parts.planParts(request);
  }

  @Override
  public ExtractResult extractPart(dev.sluice.workflows.activities.PartMessages.PartRequest request) {
    return parts.extractPart(request);
  }

  @Override
  public CleanupResult abort(CleanupRequest request) {
    aborts.incrementAndGet();
    abortVars.add(request.vars());
    if (abortFailure != null) {
      throw abortFailure;
    }
    return new CleanupResult(true, 200);
  }

  @Override
  public CleanupResult delete(CleanupRequest request) {
    deletes.incrementAndGet();
    return new CleanupResult(true, 204);
  }

  @Override
  public WatermarkResult readWatermark(WatermarkRequest request) {
    return new WatermarkResult(previousWatermark);
  }

  /** The range the window committed before, as {@code openWindow} reports it; null: a new window. */
  volatile WindowRange committedWindow;

  /** Asks of {@code openWindow} answered "head busy" before one succeeds. */
  final AtomicInteger headBusyAsks = new AtomicInteger();

  /** When set, {@code openWindow} fails with this (a window another run holds, say). */
  volatile RuntimeException openFailure;

  final List<OpenWindowRequest> opens = new CopyOnWriteArrayList<>();
  final List<ReleaseWindowRequest> releases = new CopyOnWriteArrayList<>();

  @Override
  public OpenWindowResult openWindow(OpenWindowRequest request) {
    opens.add(request);
    if (openFailure != null) {
      throw openFailure;
    }
    if (headBusyAsks.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return new OpenWindowResult(null, previousWatermark, false, "ingest/other/2026-11-01");
    }
    WindowRange committed = committedWindow;
    return new OpenWindowResult(
        committed, previousWatermark, committed == null && request.watermarkColumn() != null, null);
  }

  /** A committed window's range: 10 rows in 1 file. */
  static WindowRange range(String from, String to) {
    return new WindowRange(
        "2026-11-22T00:00:00Z",
        "SystemModstamp",
        from,
        to,
        10,
        1,
        "ingest/contacts/2026-11-22T00:00:00Z",
        "run-1",
        "2026-11-22T00:05:00Z");
  }

  @Override
  public dev.sluice.workflows.activities.WindowMessages.FirstWindowResult firstWindow(
      dev.sluice.workflows.activities.WindowMessages.FirstWindowRequest request) {
    throw new UnsupportedOperationException("only platform windows older than the watermark ask");
  }

  @Override
  public ReleaseWindowResult releaseWindow(ReleaseWindowRequest request) {
    releases.add(request);
    return new ReleaseWindowResult(1);
  }

  @Override
  public PublishResult publish(PublishRequest request) {
    publishes.incrementAndGet();
    lastPublish = request;
    return new PublishResult(
        request.sink().path(),
        request.files().stream().map(f -> request.sink().path() + "/" + f).toList(),
        56789);
  }

  @Override
  public DiscardResult discardStaging(DiscardRequest request) {
    discards.incrementAndGet();
    return new DiscardResult(true);
  }

  /** What {@code applyDeferral} answers; null: every staged row is complete. */
  volatile DeferralResult deferralAnswer;

  volatile DeferralRequest lastDeferral;

  @Override
  public DeferralResult applyDeferral(DeferralRequest request) {
    lastDeferral = request;
    DeferralResult answer = deferralAnswer;
    return answer != null
        ? answer
        : new DeferralResult(request.stagingUri(), request.files(), 1234, 56789, 0, 0, 0, 0);
  }
}
