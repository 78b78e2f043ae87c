package dev.sluice.activities.http;

import java.time.Duration;

/**
 * How one page is retried in place, inside the extract attempt, so a transient fault costs one
 * request instead of the pages read since the last checkpoint.
 *
 * @param maxTries tries of one page in all; after the last, a transient fault fails the attempt
 *     (retryable: Temporal's retry resumes from the last checkpoint)
 * @param corruptTries tries of one page whose body ends early or does not decompress, in a row;
 *     after the last the extract fails ({@code CorruptBody}, not retried)
 * @param slowTries tries of one page that miss the page deadline, in a row; after the last the
 *     extract fails ({@code PageTooSlow}, not retried)
 * @param firstBackoff wait before the second try when the provider gave no {@code Retry-After};
 *     doubled for each further try
 * @param maxBackoff longest wait without {@code Retry-After}
 * @param maxWaitInPlace longest {@code Retry-After} waited out in place; a longer one fails the
 *     attempt with that delay, so Temporal waits on a durable timer and no thread is held
 */
public record PageRetryPolicy(
    int maxTries,
    int corruptTries,
    int slowTries,
    Duration firstBackoff,
    Duration maxBackoff,
    Duration maxWaitInPlace) {

  /**
   * Eight tries ride out a short burst of 503s or a few rate limits with their {@code
   * Retry-After} (about 30s of backoff when none is given); four broken bodies in a row, or two
   * missed deadlines, are what the provider sends, not bad luck.
   */
  public static final PageRetryPolicy DEFAULT =
      new PageRetryPolicy(
          8, 4, 2, Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofMinutes(1));

  /** The wait before try {@code tries + 1} when the provider said nothing. */
  Duration backoff(int tries) {
    Duration wait = firstBackoff;
    for (int i = 1; i < tries && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
