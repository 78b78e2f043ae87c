package dev.sluice.sandbox;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Faults per endpoint kind. Queued faults come first: each request of a kind consumes the oldest
 * pending one, so "throttle 2 then drop 1" plays out in that order. Periodic faults apply to every
 * {@code n}-th request of a kind (counted from when the rule was added) that no queued fault took.
 */
final class FaultPlan {

  /** One injected fault. */
  sealed interface Fault permits Throttle, Drop, LoseAnswer, Trickle, Pass {}

  /** Answer with {@code status} and a {@code Retry-After} header instead of serving the request. */
  record Throttle(int status, int retryAfterSeconds) implements Fault {}

  /** Serve the request, then cut the connection halfway through the body. */
  record Drop() implements Fault {}

  /** Serve the request, then close the connection before sending a byte of the answer. */
  record LoseAnswer() implements Fault {}

  /**
   * Serve the request, sending its body at {@code bytesPerSecond} (headers at once): a provider
   * that holds a connection open while hardly sending anything.
   */
  record Trickle(int bytesPerSecond) implements Fault {}

  /** Serve the request normally: queued before other faults, it places them on a later request. */
  record Pass() implements Fault {}

  private record Pending(Fault fault, int remaining) {}

  /** Every {@code every}-th request of a kind gets {@code fault}; {@code seen} counts them. */
  private static final class Periodic {
    final int every;
    final Fault fault;
    long seen;

    Periodic(int every, Fault fault) {
      this.every = every;
      this.fault = fault;
    }
  }

  private final Set<String> kinds;
  private final Map<String, Deque<Pending>> pending = new HashMap<>();
  private final Map<String, List<Periodic>> periodic = new HashMap<>();

  FaultPlan(Set<String> kinds) {
    this.kinds = Set.copyOf(kinds);
  }

  /**
   * Throttles the next {@code count} requests of {@code kind}.
   *
   * @throws IllegalArgumentException for an unknown kind, a count below 1, a status outside 400-599
   *     or a negative delay
   */
  void throttle(String kind, int count, int status, int retryAfterSeconds) {
    enqueue(kind, count, throttleOf(status, retryAfterSeconds));
  }

  /**
   * Drops the connection of the next {@code count} requests of {@code kind} mid-response.
   *
   * @throws IllegalArgumentException for an unknown kind or a count below 1
   */
  void drop(String kind, int count) {
    enqueue(kind, count, new Drop());
  }

  /**
   * Serves the next {@code count} requests of {@code kind}, then closes their connection without
   * answering: the provider acted, the client never learns it did.
   *
   * @throws IllegalArgumentException for an unknown kind or a count below 1
   */
  void loseAnswers(String kind, int count) {
    enqueue(kind, count, new LoseAnswer());
  }

  /**
   * Sends the bodies of the next {@code count} requests of {@code kind} at {@code bytesPerSecond}.
   *
   * @throws IllegalArgumentException for an unknown kind, a count below 1 or a rate below 1
   */
  void trickle(String kind, int count, int bytesPerSecond) {
    enqueue(kind, count, trickleOf(bytesPerSecond));
  }

  /**
   * Serves the next {@code count} requests of {@code kind} normally, so faults queued after this
   * hit a later request (e.g. pass 6, then trickle 1: the 7th results page is slow).
   *
   * @throws IllegalArgumentException for an unknown kind or a count below 1
   */
  void pass(String kind, int count) {
    enqueue(kind, count, new Pass());
  }

  /**
   * From now on, every {@code every}-th request of {@code kind} is throttled (not served).
   *
   * @throws IllegalArgumentException for an unknown kind, {@code every < 1}, a status outside
   *     400-599 or a negative delay
   */
  void throttleEvery(String kind, int every, int status, int retryAfterSeconds) {
    addPeriodic(kind, every, throttleOf(status, retryAfterSeconds));
  }

  /**
   * From now on, every {@code every}-th request of {@code kind} is served but cut off halfway
   * through its body ({@code every} 1: every request, a {@code Content-Length} the body never
   * reaches).
   *
   * @throws IllegalArgumentException for an unknown kind or {@code every < 1}
   */
  void dropEvery(String kind, int every) {
    addPeriodic(kind, every, new Drop());
  }

  /**
   * From now on, every {@code every}-th request of {@code kind} has its body sent at {@code
   * bytesPerSecond}.
   *
   * @throws IllegalArgumentException for an unknown kind, {@code every < 1} or a rate below 1
   */
  void trickleEvery(String kind, int every, int bytesPerSecond) {
    addPeriodic(kind, every, trickleOf(bytesPerSecond));
  }

  /** Takes the fault for the current request of {@code kind}, if one is due. */
  synchronized Optional<Fault> next(String kind) {
    Fault due = null;
    // Every rule sees every request, so "every 7th" means every 7th whatever else was injected.
    for (Periodic rule : periodic.getOrDefault(kind, List.of())) {
      if (++rule.seen % rule.every == 0 && due == null) {
        due = rule.fault;
      }
    }
    Deque<Pending> queue = pending.get(kind);
    if (queue != null && !queue.isEmpty()) {
      Pending head = queue.poll();
      if (head.remaining() > 1) {
        queue.push(new Pending(head.fault(), head.remaining() - 1));
      }
      return head.fault() instanceof Pass ? Optional.empty() : Optional.of(head.fault());
    }
    return Optional.ofNullable(due);
  }

  synchronized void clear() {
    pending.clear();
    periodic.clear();
  }

  private static Throttle throttleOf(int status, int retryAfterSeconds) {
    if (status < 400 || status > 599 || retryAfterSeconds < 0) {
      throw new IllegalArgumentException(
          "throttle needs an error status (429 or 503) and Retry-After >= 0, got "
              + status
              + " / "
              + retryAfterSeconds);
    }
    return new Throttle(status, retryAfterSeconds);
  }

  private static Trickle trickleOf(int bytesPerSecond) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException(
          "bytesPerSecond must be at least 1, got " + bytesPerSecond);
    }
    return new Trickle(bytesPerSecond);
  }

  private synchronized void enqueue(String kind, int count, Fault fault) {
    checkKind(kind);
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
    pending.computeIfAbsent(kind, k -> new ArrayDeque<>()).add(new Pending(fault, count));
  }

  private synchronized void addPeriodic(String kind, int every, Fault fault) {
    checkKind(kind);
    if (every < 1) {
      throw new IllegalArgumentException("every must be at least 1, got " + every);
    }
    periodic.computeIfAbsent(kind, k -> new ArrayList<>()).add(new Periodic(every, fault));
  }

  private void checkKind(String kind) {
    if (!kinds.contains(kind)) {
      throw new IllegalArgumentException(
          "unknown endpoint kind '" + kind + "', expected one of " + kinds);
    }
  }
}
