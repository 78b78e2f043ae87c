package dev.sluice.activities.http;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * How an extraction replaces a result URL that expired ({@code extract.result}): an answer of 400
 * or 403 whose body matches {@code expiredWhen} means expired, and so does an {@code expiresAt} the
 * provider announced that is less than {@link #MARGIN} away; {@code fresh} then asks the provider
 * again (status, resolve steps) for the first page's request with a new URL, at most {@code
 * maxRefreshes} times in one attempt. The request that expired is sent again to the new URL; a body
 * broken off by it is resumed ({@link PartialBody}); the pages before stay written.
 *
 * @param expiredWhen matched against the body of a 400 or 403
 * @param maxRefreshes most fresh URLs one attempt asks for
 * @param expiresAt when the first URL expires, or null when not known
 * @param fresh the first page's request with a fresh URL, and when that one expires
 */
public record ResultRefresh(
    Pattern expiredWhen, int maxRefreshes, Instant expiresAt, Supplier<FreshUrl> fresh) {

  /**
   * How long before a known expiry a URL is replaced rather than used: a request sent just before
   * it could reach the host after it, and clocks differ by a few seconds.
   */
  public static final Duration MARGIN = Duration.ofSeconds(30);

  /**
   * A fresh result URL.
   *
   * @param firstPage the first page's request with it
   * @param expiresAt when it expires, or null when not known
   */
  public record FreshUrl(okhttp3.Request firstPage, Instant expiresAt) {}

  /** Whether an answer with {@code status} and {@code body} says the URL expired. */
  boolean expired(int status, String body) {
    return (status == 400 || status == 403) && expiredWhen.matcher(body).find();
  }
}
