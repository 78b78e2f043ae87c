package dev.sluice.sandbox;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a {@link Router} saw, per endpoint kind: every request (also those a fault answered), the
 * {@code Retry-After} windows it announced and the requests that arrived inside one, and the
 * responses whose body is being sent right now. Thread-safe.
 */
final class Traffic {

  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, Long> retryAfterUntilNanos = new ConcurrentHashMap<>();
  private final LongAdder insideRetryAfter = new LongAdder();
  private final AtomicInteger openResponses = new AtomicInteger();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();

  /** Counts a request of {@code kind}, and whether it came before the kind's announced time. */
  void request(String kind) {
    requests.computeIfAbsent(kind, k -> new LongAdder()).increment();
    Long until = retryAfterUntilNanos.get(kind);
    if (until != null && System.nanoTime() < until) {
      insideRetryAfter.increment();
    }
  }

  /**
   * A request of {@code kind} is being handled (from arrival until its answer is written); pair
   * with {@link #ended(String)}. Keeps the most seen at once, so a test can prove parallel fetches.
   */
  void started(String kind) {
    int now = inFlight.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet();
    maxInFlight.computeIfAbsent(kind, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
  }

  void ended(String kind) {
    inFlight.get(kind).decrementAndGet();
  }

  /** The most requests per kind handled at once since start or reset, in kind order. */
  Map<String, Integer> maxInFlight() {
    Map<String, Integer> most = new TreeMap<>();
    maxInFlight.forEach((kind, count) -> most.put(kind, count.get()));
    return most;
  }

  /** Records that requests of {@code kind} were told to wait {@code seconds}. */
  void announcedRetryAfter(String kind, int seconds) {
    retryAfterUntilNanos.put(kind, System.nanoTime() + seconds * 1_000_000_000L);
  }

  /** A response body starts going out; pair with {@link #responseEnded()}. */
  void responseStarted() {
    openResponses.incrementAndGet();
  }

  void responseEnded() {
    openResponses.decrementAndGet();
  }

  /** Requests per kind, in kind order. */
  Map<String, Long> requests() {
    Map<String, Long> counts = new TreeMap<>();
    requests.forEach((kind, count) -> counts.put(kind, count.sum()));
    return counts;
  }

  /** Requests that arrived while a {@code Retry-After} announced for their kind had not passed. */
  long requestsInsideRetryAfter() {
    return insideRetryAfter.sum();
  }

  /** Responses whose body is being sent now (a trickled body stays open until it ends). */
  int openResponses() {
    return openResponses.get();
  }

  void reset() {
    requests.clear();
    retryAfterUntilNanos.clear();
    insideRetryAfter.reset();
    // Requests in flight stay counted (they end after the reset); only the high-water marks go.
    maxInFlight.clear();
  }
}
