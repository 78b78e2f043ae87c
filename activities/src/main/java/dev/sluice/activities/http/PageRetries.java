package dev.sluice.activities.http;

import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;

/**
 * The tries of one page under a {@link PageRetryPolicy}: how long to wait before the next one, or
 * the failure that ends them. Every failure it throws names the page and its last error, which
 * names the request.
 */
final class PageRetries {
  private final PageRetryPolicy policy;
  private final int page;
  private int tries;
  private int corruptInARow;
  private int slowInARow;

  PageRetries(PageRetryPolicy policy, int page) {
    this.policy = policy;
    this.page = page;
  }

  /**
   * Counts a failed try and returns the wait before the next: the provider's {@code Retry-After}
   * when it gave one, else the policy's backoff.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#CORRUPT_BODY} or {@link
   *     FailureType#PAGE_TOO_SLOW} when the page failed that way too often in a row; retryable
   *     {@link FailureType#HTTP_TRANSIENT} when the page is out of tries, or the provider asks for
   *     a longer wait than is worth holding a worker thread for (its delay becomes the next retry
   *     delay)
   */
  Duration next(PageFailure failure) {
    tries++;
    corruptInARow = failure.kind() == PageFailure.Kind.CORRUPT_BODY ? corruptInARow + 1 : 0;
    slowInARow = failure.kind() == PageFailure.Kind.TOO_SLOW ? slowInARow + 1 : 0;
    if (corruptInARow >= policy.corruptTries()) {
      throw giveUp(
          failure,
          "; the same on " + corruptInARow + " tries in a row: the provider sends this page broken",
          FailureType.CORRUPT_BODY);
    }
    if (slowInARow >= policy.slowTries()) {
      throw giveUp(
          failure,
          "; too slow on "
              + slowInARow
              + " tries in a row (raise extract.pageTimeout if the provider is just that slow)",
          FailureType.PAGE_TOO_SLOW);
    }
    Duration wait = failure.retryAfter() != null ? failure.retryAfter() : policy.backoff(tries);
    if (tries >= policy.maxTries()) {
      throw transientFailure(
          failure, "; " + tries + " tries of this page failed", failure.retryAfter());
    }
    if (wait.compareTo(policy.maxWaitInPlace()) > 0) {
      throw transientFailure(
          failure,
          "; the provider asks to wait "
              + HttpFailures.duration(wait)
              + ", longer than a worker holds a page for: the extract is retried after it",
          wait);
    }
    return wait;
  }

  /** The non-retryable failure of this page failing the same way too often in a row. */
  private ApplicationFailure giveUp(PageFailure failure, String why, FailureType type) {
    return ApplicationFailure.newNonRetryableFailureWithCause(
        "page " + page + ": " + failure.getMessage() + why, type.type(), failure.getCause());
  }

  /** Tries of this page so far. */
  int tries() {
    return tries;
  }

  private ApplicationFailure transientFailure(PageFailure failure, String why, Duration delay) {
    return ApplicationFailure.newBuilder()
        .setMessage("page " + page + ": " + failure.getMessage() + why)
        .setType(FailureType.HTTP_TRANSIENT.type())
        .setCause(failure.getCause())
        .setNextRetryDelay(delay)
        .build();
  }
}
