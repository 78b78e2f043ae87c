package dev.sluice.workflows.filedownload;

import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DiscardIncomingRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DiscardIncomingResult;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.DownloadFilesResult;
import dev.sluice.workflows.filedownload.FileDownloadMessages.FileFailure;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesRequest;
import dev.sluice.workflows.filedownload.FileDownloadMessages.ListFilesResult;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A scripted file share and lake: a listing of {@code files} entries of 100 bytes each, files in
 * {@code landed} already there, files in {@code mismatched} that never match their checksum, and
 * ranges containing an index of {@code refusing} failing for good.
 */
final class FakeFileShare implements FileListingActivities, FileDownloadActivities {
  volatile int files;
  final Set<Integer> landed = ConcurrentHashMap.newKeySet();
  final Set<Integer> mismatched = ConcurrentHashMap.newKeySet();
  final Set<Integer> refusing = ConcurrentHashMap.newKeySet();
  volatile ApplicationFailure listingFailure;

  /** Downloads in flight wait (up to 2s) for this many others, so the peak is deterministic. */
  volatile int expectedParallel = 1;

  /**
   * When set, each download holds (heartbeating, so it learns of a cancellation) until this is
   * counted down; {@link #holding} counts down once one is held.
   */
  volatile java.util.concurrent.CountDownLatch hold;

  final java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);

  final List<ListFilesRequest> listings = new CopyOnWriteArrayList<>();
  final List<DownloadFilesRequest> ranges = new CopyOnWriteArrayList<>();
  final Map<Integer, AtomicInteger> attemptsPerIndex = new ConcurrentHashMap<>();
  final List<String> discarded = new CopyOnWriteArrayList<>();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicInteger peak = new AtomicInteger();

  FakeFileShare(int files) {
    this.files = files;
  }

  @Override
  public ListFilesResult listSourceFiles(ListFilesRequest request) {
    listings.add(request);
    if (listingFailure != null) {
      throw listingFailure;
    }
    return new ListFilesResult(request.listingUri(), files, 100L * files, 1);
  }

  @Override
  public DownloadFilesResult downloadListedFiles(DownloadFilesRequest request) {
    ranges.add(request);
    int now;
    synchronized (inFlight) {
      now = inFlight.incrementAndGet();
      inFlight.notifyAll();
    }
    peak.accumulateAndGet(now, Math::max);
    try {
      long giveUp = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
      synchronized (inFlight) {
        while (inFlight.get() < expectedParallel && System.nanoTime() < giveUp) {
          java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(inFlight, giveUp - System.nanoTime());
        }
      }
      peak.accumulateAndGet(inFlight.get(), Math::max);
      if (hold != null) {
        holding.countDown();
        // Throws ActivityCanceledException once the run's cancellation reaches this attempt.
        while (!hold.await(20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          io.temporal.activity.Activity.getExecutionContext().heartbeat(null);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
    for (int i = request.from(); i < request.to(); i++) {
      if (refusing.contains(i)) {
        throw ApplicationFailure.newNonRetryableFailure(
            "GET http://share/f" + i + " answered HTTP 401 with current credentials",
            FailureType.AUTH_FAILED.type());
      }
    }
    int downloaded = 0;
    int skipped = 0;
    List<FileFailure> failures = new ArrayList<>();
    for (int i = request.from(); i < request.to(); i++) {
      attemptsPerIndex.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
      if (mismatched.contains(i)) {
        failures.add(
            new FileFailure(
                i,
                "f" + i,
                FailureType.CHECKSUM_MISMATCH.type(),
                "f" + i + ": md5 checksum mismatch, expected aa, got bb"));
      } else if (landed.contains(i)) {
        skipped++;
      } else {
        downloaded++;
      }
    }
    return new DownloadFilesResult(downloaded, skipped, 100L * downloaded, failures);
  }

  @Override
  public DiscardIncomingResult discardIncomingFiles(DiscardIncomingRequest request) {
    discarded.add(request.incomingUri());
    return new DiscardIncomingResult(true);
  }
}
