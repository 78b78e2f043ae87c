package dev.sluice.activities.http;

import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Instant;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first page's request of one extract attempt, replaced by one with a fresh result URL when the
 * URL expired ({@link ResultRefresh}): after an answer saying so, or before a request when the
 * provider announced an expiry that is less than {@link ResultRefresh#MARGIN} away. Shared by the
 * extracting thread and the one fetching ahead.
 */
final class ResultUrl {
  private static final Logger log = LoggerFactory.getLogger(ResultUrl.class);

  private final ResultRefresh refresh;
  private final Clock clock;
  private volatile Request firstPage;
  private Instant expiresAt;
  private int refreshes;

  /**
   * @param firstPage the first page's request as located
   * @param refresh how to replace it, or null when the result URL does not expire
   * @param clock decides whether a known expiry is near
   */
  ResultUrl(Request firstPage, ResultRefresh refresh, Clock clock) {
    this.firstPage = firstPage;
    this.refresh = refresh;
    this.clock = clock;
    this.expiresAt = refresh == null ? null : refresh.expiresAt();
  }

  /** The first page's request now. */
  Request firstPage() {
    return firstPage;
  }

  /**
   * Replaces the first page's request before it is used when its known expiry is less than the
   * margin away, unless another thread already replaced {@code current}.
   *
   * @return whether {@code current} is no longer the first page's request
   * @throws ApplicationFailure as {@link #expired}
   */
  synchronized boolean renewIfExpiring(Request current) {
    if (current != firstPage) {
      return true;
    }
    if (expiresAt == null || clock.instant().plus(ResultRefresh.MARGIN).isBefore(expiresAt)) {
      return false;
    }
    replace("the result URL expires at " + expiresAt + " (extract.result.expiresAtPointer)");
    return true;
  }

  /**
   * Replaces the first page's request after an answer said its URL expired, unless another thread
   * already did since {@code stale} was used.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#RESULT_URL_EXPIRED} past {@code
   *     maxRefreshes}
   */
  synchronized void expired(Request stale, ResultExpired failure) {
    if (stale == firstPage) {
      replace(failure.getMessage());
    }
  }

  private void replace(String why) {
    if (refreshes >= refresh.maxRefreshes()) {
      throw ApplicationFailure.newNonRetryableFailure(
          why
              + "; the result URL expired again after "
              + refreshes
              + " fresh URLs (extract.result.maxRefreshes)",
          FailureType.RESULT_URL_EXPIRED.type());
    }
    refreshes++;
    log.info(
        "{}; asking for a fresh result URL ({} of at most {})",
        why,
        refreshes,
        refresh.maxRefreshes());
    ResultRefresh.FreshUrl fresh = refresh.fresh().get();
    firstPage = fresh.firstPage();
    expiresAt = fresh.expiresAt();
  }
}
