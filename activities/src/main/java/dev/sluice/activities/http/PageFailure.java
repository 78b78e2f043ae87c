package dev.sluice.activities.http;

import io.temporal.failure.ApplicationFailure;
import java.time.Duration;

/**
 * Why one try of a page failed in a way that may pass when the page is asked for again; {@link
 * PageRetries} decides whether it is. Failures that cannot pass (a 4xx, a redirect loop) are thrown
 * as {@link ApplicationFailure}s instead.
 */
final class PageFailure extends RuntimeException {

  /** What went wrong, as far as a retry is concerned. */
  enum Kind {
    /** No usable answer: 5xx, 408, 429, refused, reset before the body, a stalled read. */
    TRANSIENT,
    /** The body ended before its announced end, or does not decompress. */
    CORRUPT_BODY,
    /** The page did not arrive within its whole-call deadline. */
    TOO_SLOW
  }

  private final Kind kind;
  private final Duration retryAfter;

  /**
   * @param kind what went wrong
   * @param message what happened, naming the request ({@link HttpFailures#describe})
   * @param retryAfter the provider's {@code Retry-After}, or null
   * @param cause the I/O error or HTTP failure behind it
   */
  PageFailure(Kind kind, String message, Duration retryAfter, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
    this.retryAfter = retryAfter;
  }

  Kind kind() {
    return kind;
  }

  /** The delay the provider asked for, or null. */
  Duration retryAfter() {
    return retryAfter;
  }
}
