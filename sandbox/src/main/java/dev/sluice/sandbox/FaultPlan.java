package dev.sluice.sandbox;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Faults queued per endpoint kind: each request of that kind consumes the oldest pending one, so
 * "throttle 2 then drop 1" plays out in that order.
 */
final class FaultPlan {

  /** One injected fault. */
  sealed interface Fault permits Throttle, Drop, LoseAnswer {}

  /** Answer with {@code status} and a {@code Retry-After} header instead of serving the request. */
  record Throttle(int status, int retryAfterSeconds) implements Fault {}

  /** Serve the request, then cut the connection halfway through the body. */
  record Drop() implements Fault {}

  /** Serve the request, then close the connection before sending a byte of the answer. */
  record LoseAnswer() implements Fault {}

  private record Pending(Fault fault, int remaining) {}

  private final Set<String> kinds;
  private final Map<String, Deque<Pending>> pending = new HashMap<>();

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
    if (status < 400 || status > 599 || retryAfterSeconds < 0) {
      throw new IllegalArgumentException(
          "throttle needs an error status (429 or 503) and Retry-After >= 0, got "
              + status
              + " / "
              + retryAfterSeconds);
    }
    enqueue(kind, count, new Throttle(status, retryAfterSeconds));
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

  /** Takes the fault for the current request of {@code kind}, if one is pending. */
  synchronized Optional<Fault> next(String kind) {
    Deque<Pending> queue = pending.get(kind);
    if (queue == null || queue.isEmpty()) {
      return Optional.empty();
    }
    Pending head = queue.poll();
    if (head.remaining() > 1) {
      queue.push(new Pending(head.fault(), head.remaining() - 1));
    }
    return Optional.of(head.fault());
  }

  synchronized void clear() {
    pending.clear();
  }

  private synchronized void enqueue(String kind, int count, Fault fault) {
    if (!kinds.contains(kind)) {
      throw new IllegalArgumentException(
          "unknown endpoint kind '" + kind + "', expected one of " + kinds);
    }
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
    pending.computeIfAbsent(kind, k -> new ArrayDeque<>()).add(new Pending(fault, count));
  }
}
