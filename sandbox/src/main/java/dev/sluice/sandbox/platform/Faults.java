package dev.sluice.sandbox.platform;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Faults pending per endpoint kind: error answers (5xx or 429 with {@code Retry-After}; the request
 * is not served), lost answers (the request is served, the connection closed before any answer)
 * and dropped connections (the request is served, the answer cut off). Errors are taken first, then
 * lost answers, then drops.
 */
final class Faults {

  /** Endpoint kinds a fault can target. */
  static final Set<String> KINDS =
      Set.of("token", "create", "upload", "complete", "status", "list", "download");

  private record PendingError(int status, int remaining) {}

  private final Map<String, PendingError> errors = new HashMap<>();
  private final Map<String, Integer> drops = new HashMap<>();
  private final Map<String, Integer> losses = new HashMap<>();

  /**
   * The next {@code count} requests of {@code kind} get {@code status} and a platform error body.
   *
   * @throws IllegalArgumentException for an unknown kind, {@code count < 1} or a status other than
   *     429 or 500-599
   */
  synchronized void failNext(String kind, int count, int status) {
    check(kind, count);
    if (status != 429 && (status < 500 || status > 599)) {
      throw new IllegalArgumentException("status must be 429 or a 5xx, got " + status);
    }
    errors.put(kind, new PendingError(status, count));
  }

  /**
   * The next {@code count} requests of {@code kind} are served, then their connection is cut.
   *
   * @throws IllegalArgumentException for an unknown kind or {@code count < 1}
   */
  synchronized void dropNext(String kind, int count) {
    check(kind, count);
    drops.merge(kind, count, Integer::sum);
  }

  /**
   * The next {@code count} requests of {@code kind} are served, then their connection is closed
   * before a byte of the answer is sent.
   *
   * @throws IllegalArgumentException for an unknown kind or {@code count < 1}
   */
  synchronized void loseNext(String kind, int count) {
    check(kind, count);
    losses.merge(kind, count, Integer::sum);
  }

  synchronized Optional<Reply> injectedError(String kind) {
    PendingError pending = errors.get(kind);
    if (pending == null) {
      return Optional.empty();
    }
    if (pending.remaining() > 1) {
      errors.put(kind, new PendingError(pending.status(), pending.remaining() - 1));
    } else {
      errors.remove(kind);
    }
    boolean throttled = pending.status() == 429;
    return Optional.of(
        PlatformFailure.problem(
                pending.status(),
                (throttled ? "SBX-1429-" : "SBX-1503-") + pending.status(),
                throttled ? "Too Many Requests" : "Service Unavailable",
                throttled
                    ? "too many requests, retry after the given delay"
                    : "the service is temporarily unavailable, retry later")
            .withRetryAfter());
  }

  synchronized boolean takeLoss(String kind) {
    return take(losses, kind);
  }

  synchronized boolean takeDrop(String kind) {
    return take(drops, kind);
  }

  synchronized void clear() {
    errors.clear();
    losses.clear();
    drops.clear();
  }

  private static boolean take(Map<String, Integer> pending, String kind) {
    Integer left = pending.get(kind);
    if (left == null) {
      return false;
    }
    if (left > 1) {
      pending.put(kind, left - 1);
    } else {
      pending.remove(kind);
    }
    return true;
  }

  private static void check(String kind, int count) {
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException(
          "unknown endpoint kind '" + kind + "', expected one of " + KINDS);
    }
    if (count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
  }
}
