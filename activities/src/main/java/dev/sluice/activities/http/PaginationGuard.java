package dev.sluice.activities.http;

import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import okhttp3.Request;

/**
 * Stops pagination that would never end, before it reads a page twice: a page URL already read in
 * the run (a cursor cycle A, B, A…, a next-URL loop, a repeated locator), a body identical to the
 * previous page's (a provider that ignores the page parameter), or more than {@code maxPages}
 * pages.
 *
 * <p>Within an attempt every URL read is remembered (as a 64-bit fingerprint); across a resume,
 * the heartbeat carries the last {@value #REMEMBERED} ({@link PageHistory}), which catches any
 * cycle shorter than that; {@code maxPages} bounds the rest.
 */
final class PaginationGuard {
  /** URL fingerprints a heartbeat carries: about 1.2 KB, and longer cycles are not seen in APIs. */
  static final int REMEMBERED = 64;

  private final int maxPages;
  private final Set<String> seen = new HashSet<>();
  private final Deque<String> recent = new ArrayDeque<>();
  private String lastBody;

  /**
   * @param maxPages most pages of the run
   * @param resumed what the checkpoint remembers of the pages before it
   */
  PaginationGuard(int maxPages, PageHistory resumed) {
    this.maxPages = maxPages;
    for (String url : resumed.recentUrls()) {
      seen.add(url);
      remember(url);
    }
    this.lastBody = resumed.lastBody();
  }

  /**
   * Checks page {@code page} before it is requested.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#TOO_MANY_PAGES} past {@code
   *     maxPages}; {@link FailureType#PAGINATION_LOOP} for a URL already read in the run
   */
  void beforeFetch(int page, Request request) {
    if (page > maxPages) {
      throw ApplicationFailure.newNonRetryableFailure(
          "page "
              + page
              + ": "
              + HttpFailures.describe(request)
              + " would be past pagination.maxPages ("
              + maxPages
              + "), and the provider still announces more pages; it may ignore the page"
              + " parameter, or the result is larger than expected (raise pagination.maxPages)",
          FailureType.TOO_MANY_PAGES.type());
    }
    String url = fingerprint(request.url().toString().getBytes(StandardCharsets.UTF_8));
    if (!seen.add(url)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "page "
              + page
              + ": "
              + HttpFailures.describe(request)
              + " was already read in this run: the provider's pagination loops (a cursor"
              + " cycle, a next-page URL pointing back, or a repeated locator); stopped before"
              + " reading it again",
          FailureType.PAGINATION_LOOP.type());
    }
    remember(url);
  }

  /** Whether {@link #beforeFetch} would let page {@code page} be requested now. */
  boolean accepts(int page, Request request) {
    return page <= maxPages
        && !seen.contains(fingerprint(request.url().toString().getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Checks page {@code page}'s body before it is parsed: the same body as the previous page, when
   * that page had records, would write its records twice.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#PAGINATION_LOOP}
   */
  void beforeParse(int page, Request request, FetchedPage body) {
    if (body.fingerprint().equals(lastBody)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "page "
              + page
              + ": "
              + HttpFailures.describe(request)
              + " answered with the same "
              + body.bytes()
              + " bytes as page "
              + (page - 1)
              + ": the provider ignores the page parameter; stopped before writing its records"
              + " twice",
          FailureType.PAGINATION_LOOP.type());
    }
  }

  /** Remembers a parsed page's body; one without records can repeat harmlessly. */
  void parsed(FetchedPage body, long records) {
    lastBody = records > 0 ? body.fingerprint() : null;
  }

  /** What a checkpoint taken now carries. */
  PageHistory history() {
    return new PageHistory(List.copyOf(recent), lastBody);
  }

  private void remember(String url) {
    recent.addLast(url);
    while (recent.size() > REMEMBERED) {
      recent.removeFirst();
    }
  }

  private static String fingerprint(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
