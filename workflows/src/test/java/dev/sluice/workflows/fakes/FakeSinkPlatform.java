package dev.sluice.workflows.fakes;

import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.PlatformBatchActivities;
import dev.sluice.workflows.activities.PlatformMessages.BatchCallResult;
import dev.sluice.workflows.activities.PlatformMessages.BatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.BatchStatusResult;
import dev.sluice.workflows.activities.PlatformMessages.CreateBatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.CreateBatchResult;
import dev.sluice.workflows.activities.PlatformMessages.PlatformError;
import dev.sluice.workflows.activities.PlatformMessages.RecordSentBatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.SentBatchesRequest;
import dev.sluice.workflows.activities.PlatformMessages.SentBatchesResult;
import dev.sluice.workflows.activities.PlatformMessages.UploadRequest;
import dev.sluice.workflows.activities.PlatformMessages.UploadResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted platform sink for ingest workflow tests (the egress child runs against it): a batch
 * that succeeds, or fails with given errors, at its first status check; every call written to a
 * journal shared with the other fakes, so a test can check what happened before what.
 */
public final class FakeSinkPlatform implements PlatformBatchActivities {
  public static final String BATCH_ID = "01JNEWBATCH";

  private final List<String> journal;

  /** When set, the batch fails with these errors instead of succeeding. */
  public volatile List<PlatformError> failWith;

  /**
   * When set, every status check blocks (real time, at most 10s) until {@link #releaseStatus}
   * opens, then reports the batch {@code processing}: a test cancels while the egress child waits
   * on an activity rather than on a timer. (A cancel that reaches a child at the instant its timer
   * fires hits a race in Temporal's Java test server, sdk-java#2606: the child's workflow task is
   * refused and never retried.)
   */
  public volatile boolean holdStatus;

  public final CountDownLatch releaseStatus = new CountDownLatch(1);

  /** File URIs uploaded, in the order the uploads ran. */
  public final List<String> uploadedUris = new CopyOnWriteArrayList<>();

  public final List<List<String>> replacesSeen = new CopyOnWriteArrayList<>();
  public final AtomicInteger creates = new AtomicInteger();
  public final AtomicInteger aborts = new AtomicInteger();

  /** Record URI → batch IDs recorded there. */
  public final Map<String, List<String>> records = new ConcurrentHashMap<>();

  public FakeSinkPlatform(List<String> journal) {
    this.journal = journal;
  }

  @Override
  public CreateBatchResult createBatch(CreateBatchRequest request) {
    creates.incrementAndGet();
    replacesSeen.add(request.replaces());
    journal.add("create batch");
    return new CreateBatchResult(BATCH_ID);
  }

  @Override
  public UploadResult uploadFile(UploadRequest request) {
    uploadedUris.add(request.fileUri());
    journal.add("upload " + request.name());
    return new UploadResult(request.name(), 100, false);
  }

  @Override
  public BatchCallResult completeBatch(BatchRequest request) {
    journal.add("complete batch");
    return new BatchCallResult(200);
  }

  @Override
  public BatchStatusResult batchStatus(BatchRequest request) {
    if (holdStatus) {
      journal.add("status check held");
      try {
        releaseStatus.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new BatchStatusResult("processing", Outcome.PENDING, List.of());
    }
    if (failWith != null) {
      journal.add("batch failure");
      return new BatchStatusResult("failure", Outcome.FAILED, failWith);
    }
    journal.add("batch success");
    return new BatchStatusResult("success", Outcome.READY, List.of());
  }

  @Override
  public BatchCallResult abortBatch(BatchRequest request) {
    aborts.incrementAndGet();
    journal.add("abort batch");
    return new BatchCallResult(200);
  }

  @Override
  public SentBatchesResult sentBatches(SentBatchesRequest request) {
    return new SentBatchesResult(records.getOrDefault(request.recordUri(), List.of()));
  }

  @Override
  public SentBatchesResult recordSentBatch(RecordSentBatchRequest request) {
    journal.add("record " + request.batchId());
    records.put(request.recordUri(), List.of(request.batchId()));
    return new SentBatchesResult(List.of(request.batchId()));
  }
}
