package dev.sluice.workflows.platformingest;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.Messages.DiscardRequest;
import dev.sluice.workflows.activities.Messages.DiscardResult;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.Messages.WatermarkResult;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.PlatformSourceActivities;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.LastBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.LastBatchResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ListBatchesResult;
import dev.sluice.workflows.activities.PlatformSourceMessages.SourceBatch;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.fakes.Gate;
import dev.sluice.workflows.fakes.Journal;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted source dataset and Parquet table: the dataset's batches (the Catalog's listing rules,
 * implemented as the activity contract states them), reads that wait at a {@link Gate} the test
 * holds and releases (activities run on real threads, so concurrency is real), fail, or block until
 * cancelled; and a journal of every
 * call, shared with {@link dev.sluice.workflows.fakes.FakeSinkPlatform}.
 */
final class FakePlatformSource implements PlatformSourceActivities, ParquetSinkActivities {
  static final long ROWS_PER_BATCH = 10;

  private final TestWorkflowEnvironment env;
  final List<String> journal;

  /** Counted down when the test ends: a read blocked until cancelled gives up. */
  final java.util.concurrent.CountDownLatch unblocked = new java.util.concurrent.CountDownLatch(1);

  /** The dataset's batches, in any order. */
  final List<SourceBatch> dataset = new CopyOnWriteArrayList<>();

  /** The latest batch reports {@code processing} for this many checks before its own status. */
  volatile int latestPendingChecks;

  /** While set, every check of the latest batch fails with a retryable HTTP 500. */
  volatile boolean lastBatchEndpointDown;

  /** Where reads wait while the test holds them (open unless the test holds it). */
  final Gate reads = new Gate();

  /** A gate of a batch's own, in place of {@link #reads}: to hold one batch while others go. */
  final Map<String, Gate> readGateOf = new ConcurrentHashMap<>();

  /** The batches whose read returned (not failed), in the order they did. */
  final Journal readsDone = new Journal();

  /** Batches whose read fails (non-retryable, as a malformed file does). */
  final Set<String> unreadable = ConcurrentHashMap.newKeySet();

  /** Batches whose read heartbeats until the run is cancelled. */
  final Set<String> blocking = ConcurrentHashMap.newKeySet();

  volatile String storedWatermark;

  /** What {@code applyDeferral} answers; null: every row lands (the same files). */
  volatile DeferralResult deferralAnswer;

  final AtomicInteger lastBatchChecks = new AtomicInteger();
  final List<Long> lastBatchCheckTimes = new CopyOnWriteArrayList<>();
  final List<ListBatchesRequest> listRequests = new CopyOnWriteArrayList<>();
  final List<ExtractBatchRequest> extractRequests = new CopyOnWriteArrayList<>();
  final AtomicInteger watermarkReads = new AtomicInteger();
  final List<PublishRequest> publishes = new CopyOnWriteArrayList<>();
  final List<DeferralRequest> deferrals = new CopyOnWriteArrayList<>();
  final AtomicInteger discards = new AtomicInteger();
  final AtomicInteger cancelledReads = new AtomicInteger();
  private final AtomicInteger concurrentReads = new AtomicInteger();
  final AtomicInteger maxConcurrentReads = new AtomicInteger();

  FakePlatformSource(TestWorkflowEnvironment env, List<String> journal) {
    this.env = env;
    this.journal = journal;
  }

  void add(String batchId, long created, Outcome outcome) {
    String status =
        switch (outcome) {
          case READY -> "success";
          case FAILED -> "failure";
          case PENDING -> "processing";
        };
    dataset.add(new SourceBatch(batchId, created, status, outcome));
  }

  static String fileOf(String batchId) {
    return "part-" + batchId + "-00000.parquet";
  }

  private static final Comparator<SourceBatch> CREATED_ORDER =
      Comparator.comparingLong(SourceBatch::created).thenComparing(SourceBatch::batchId);

  @Override
  public LastBatchResult lastBatch(LastBatchRequest request) {
    lastBatchCheckTimes.add(env.currentTimeMillis());
    if (lastBatchEndpointDown) {
      throw io.temporal.failure.ApplicationFailure.newFailure(
          "HTTP 500 Internal Server Error from http://platform/batches?orderBy=-created",
          dev.sluice.workflows.activities.FailureType.HTTP_TRANSIENT.type());
    }
    int check = lastBatchChecks.incrementAndGet();
    SourceBatch latest = dataset.stream().max(CREATED_ORDER).orElse(null);
    if (latest == null) {
      return new LastBatchResult(null, 0, null, null, List.of());
    }
    if (check <= latestPendingChecks) {
      return new LastBatchResult(
          latest.batchId(), latest.created(), "processing", Outcome.PENDING, List.of());
    }
    return new LastBatchResult(
        latest.batchId(), latest.created(), latest.status(), latest.outcome(), List.of());
  }

  @Override
  public ListBatchesResult listBatches(ListBatchesRequest request) {
    listRequests.add(request);
    journal.add("list");
    List<SourceBatch> matching =
        dataset.stream()
            .filter(b -> b.created() >= request.createdAfter())
            .filter(
                b ->
                    request.afterBatchId() == null
                        || b.created() > request.createdAfter()
                        || b.batchId().compareTo(request.afterBatchId()) > 0)
            .filter(b -> b.created() < request.createdBefore())
            .sorted(CREATED_ORDER)
            .toList();
    boolean more = matching.size() > request.limit();
    return new ListBatchesResult(
        new ArrayList<>(matching.subList(0, Math.min(request.limit(), matching.size()))), more);
  }

  @Override
  public ExtractBatchResult extractBatch(ExtractBatchRequest request) {
    extractRequests.add(request);
    String id = request.batchId();
    journal.add("read " + id);
    maxConcurrentReads.accumulateAndGet(concurrentReads.incrementAndGet(), Math::max);
    try {
      if (blocking.contains(id)) {
        blockUntilCancelled();
      }
      readGateOf.getOrDefault(id, reads).pass();
      if (unreadable.contains(id)) {
        throw ApplicationFailure.newNonRetryableFailure(
            "batch " + id + ", file data.parquet: not a Parquet file", FailureType.MALFORMED_DATA.type());
      }
      readsDone.add(id);
      return new ExtractBatchResult(id, ROWS_PER_BATCH, 1000, List.of(fileOf(id)), 1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      concurrentReads.decrementAndGet();
    }
  }

  /** Heartbeats (where a real read learns of a cancellation) until the run is cancelled. */
  private void blockUntilCancelled() throws InterruptedException {
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < giveUp) {
      try {
        Activity.getExecutionContext().heartbeat(null);
      } catch (ActivityCanceledException e) {
        cancelledReads.incrementAndGet();
        journal.add("read cancelled");
        throw e;
      }
      // The next heartbeat in 20 ms, or at once when the test releases every blocked read.
      if (unblocked.await(20, TimeUnit.MILLISECONDS)) {
        break;
      }
    }
    throw new IllegalStateException("the test never cancelled the run");
  }

  @Override
  public WatermarkResult readWatermark(WatermarkRequest request) {
    watermarkReads.incrementAndGet();
    return new WatermarkResult(storedWatermark);
  }

  @Override
  public PublishResult publish(PublishRequest request) {
    publishes.add(request);
    journal.add("publish");
    return new PublishResult(
        request.sink().path(),
        request.files().stream().map(f -> request.sink().path() + "/" + f).toList(),
        1000L * request.files().size());
  }

  @Override
  public DeferralResult applyDeferral(DeferralRequest request) {
    deferrals.add(request);
    journal.add("defer");
    DeferralResult answer = deferralAnswer;
    if (answer != null) {
      return answer;
    }
    return new DeferralResult(
        RunKeys.deferralStaging(request.stagingUri()), request.files(), 0, 0, 0, 0, 0, 0);
  }

  /** The range the window committed before (a re-run), or null (a new window). */
  volatile dev.sluice.workflows.activities.WindowMessages.WindowRange committedWindow;

  final java.util.List<dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest>
      releases = new java.util.concurrent.CopyOnWriteArrayList<>();

  @Override
  public dev.sluice.workflows.activities.WindowMessages.OpenWindowResult openWindow(
      dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest request) {
    watermarkReads.incrementAndGet();
    var committed = committedWindow;
    return new dev.sluice.workflows.activities.WindowMessages.OpenWindowResult(
        committed, storedWatermark, committed == null, null);
  }

  /** The table's earliest committed window, as {@code firstWindow} answers. */
  volatile dev.sluice.workflows.activities.WindowMessages.WindowRange firstWindow;

  @Override
  public dev.sluice.workflows.activities.WindowMessages.FirstWindowResult firstWindow(
      dev.sluice.workflows.activities.WindowMessages.FirstWindowRequest request) {
    journal.add("first window");
    return new dev.sluice.workflows.activities.WindowMessages.FirstWindowResult(firstWindow);
  }

  @Override
  public dev.sluice.workflows.activities.WindowMessages.ReleaseWindowResult releaseWindow(
      dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest request) {
    releases.add(request);
    return new dev.sluice.workflows.activities.WindowMessages.ReleaseWindowResult(1);
  }

  @Override
  public DiscardResult discardStaging(DiscardRequest request) {
    discards.incrementAndGet();
    journal.add("discard");
    return new DiscardResult(true);
  }
}
