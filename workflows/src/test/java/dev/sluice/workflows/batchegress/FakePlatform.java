package dev.sluice.workflows.batchegress;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.PlatformBatchActivities;
import dev.sluice.workflows.activities.PlatformMessages.BatchCallResult;
import dev.sluice.workflows.activities.PlatformMessages.BatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.BatchStatusResult;
import dev.sluice.workflows.activities.PlatformMessages.CreateBatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.CreateBatchResult;
import dev.sluice.workflows.activities.PlatformMessages.PlatformError;
import dev.sluice.workflows.activities.PlatformMessages.UploadRequest;
import dev.sluice.workflows.activities.PlatformMessages.UploadResult;
import dev.sluice.workflows.fakes.Gate;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted data platform: batches that turn successful (or failed) after a set number of status
 * checks, uploads that wait at a {@link Gate} the test holds and releases (activities run on real
 * threads, so concurrency is real) or fail with a 5xx on demand, and a record of every call.
 */
final class FakePlatform implements PlatformBatchActivities {
  static final String BATCH_ID = "01JBATCH7Q9ZK3";

  private final TestWorkflowEnvironment env;

  int successAfterPolls = 3;

  /** When set, the batch fails with these errors instead of succeeding. */
  List<PlatformError> failWith;

  /** While set, every status check fails with a retryable HTTP 500. */
  volatile boolean statusEndpointDown;

  /** Where uploads wait while the test holds them (open unless the test holds it). */
  final Gate uploads = new Gate();

  /** Upload attempts that fail with a retryable 503 before uploads succeed. */
  final AtomicInteger transientUploadFailures = new AtomicInteger();

  final AtomicInteger creates = new AtomicInteger();
  final AtomicInteger completes = new AtomicInteger();
  final AtomicInteger aborts = new AtomicInteger();
  final AtomicInteger statusChecks = new AtomicInteger();
  final AtomicInteger uploadAttempts = new AtomicInteger();

  /** Successful uploads per file name in the batch: each must end at 1. */
  final Map<String, Integer> filesInBatch = new ConcurrentHashMap<>();

  final List<String> batchIdsSeen = new CopyOnWriteArrayList<>();
  final List<Long> statusCheckTimes = new CopyOnWriteArrayList<>();
  final List<List<String>> replacesSeen = new CopyOnWriteArrayList<>();
  private final AtomicInteger concurrentUploads = new AtomicInteger();
  final AtomicInteger maxConcurrentUploads = new AtomicInteger();

  FakePlatform(TestWorkflowEnvironment env) {
    this.env = env;
  }

  @Override
  public CreateBatchResult createBatch(CreateBatchRequest request) {
    creates.incrementAndGet();
    replacesSeen.add(request.replaces());
    return new CreateBatchResult(BATCH_ID);
  }

  @Override
  public UploadResult uploadFile(UploadRequest request) {
    uploadAttempts.incrementAndGet();
    batchIdsSeen.add(request.batchId());
    int now = concurrentUploads.incrementAndGet();
    maxConcurrentUploads.accumulateAndGet(now, Math::max);
    try {
      uploads.pass();
      if (transientUploadFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        throw ApplicationFailure.newBuilder()
            .setMessage("HTTP 503 Service Unavailable")
            .setType(FailureType.HTTP_TRANSIENT.type())
            .setNextRetryDelay(Duration.ofSeconds(1))
            .build();
      }
      // The platform keeps one file per name: a second PUT of a name overwrites it.
      filesInBatch.merge(request.name(), 1, (a, b) -> a);
      return new UploadResult(request.name(), 1000, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      concurrentUploads.decrementAndGet();
    }
  }

  @Override
  public BatchCallResult completeBatch(BatchRequest request) {
    completes.incrementAndGet();
    batchIdsSeen.add(request.batchId());
    return new BatchCallResult(200);
  }

  @Override
  public BatchStatusResult batchStatus(BatchRequest request) {
    batchIdsSeen.add(request.batchId());
    statusCheckTimes.add(env.currentTimeMillis());
    if (statusEndpointDown) {
      throw io.temporal.failure.ApplicationFailure.newFailure(
          "HTTP 500 Internal Server Error from http://platform/batches/" + request.batchId(),
          dev.sluice.workflows.activities.FailureType.HTTP_TRANSIENT.type());
    }
    int n = statusChecks.incrementAndGet();
    if (n < successAfterPolls) {
      return new BatchStatusResult(n == 1 ? "loading" : "processing", Outcome.PENDING, List.of());
    }
    if (failWith != null) {
      return new BatchStatusResult("failure", Outcome.FAILED, failWith);
    }
    return new BatchStatusResult("success", Outcome.READY, List.of());
  }

  @Override
  public BatchCallResult abortBatch(BatchRequest request) {
    aborts.incrementAndGet();
    batchIdsSeen.add(request.batchId());
    return new BatchCallResult(200);
  }

  /** Recorded windows: record URI → batch IDs still successful. */
  final java.util.Map<String, List<String>> records =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public dev.sluice.workflows.activities.PlatformMessages.SentBatchesResult sentBatches(
      dev.sluice.workflows.activities.PlatformMessages.SentBatchesRequest request) {
    return new dev.sluice.workflows.activities.PlatformMessages.SentBatchesResult(
        records.getOrDefault(request.recordUri(), List.of()));
  }

  /** When set, writing a record fails every time with this (retryable) message. */
  volatile String recordFailure;

  final AtomicInteger recordAttempts = new AtomicInteger();

  @Override
  public dev.sluice.workflows.activities.PlatformMessages.SentBatchesResult recordSentBatch(
      dev.sluice.workflows.activities.PlatformMessages.RecordSentBatchRequest request) {
    recordAttempts.incrementAndGet();
    if (recordFailure != null) {
      throw ApplicationFailure.newFailure(recordFailure, "java.io.IOException");
    }
    records.put(request.recordUri(), List.of(request.batchId()));
    return new dev.sluice.workflows.activities.PlatformMessages.SentBatchesResult(
        List.of(request.batchId()));
  }
}
