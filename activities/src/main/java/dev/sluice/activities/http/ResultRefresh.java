package dev.sluice.activities.http;

import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * How an extraction replaces a result URL that expired ({@code extract.result}): an answer of 400
 * or 403 whose body matches {@code expiredWhen} means expired; {@code fresh} then asks the provider
 * again (status, resolve steps) for the first page's request with a new URL, at most {@code
 * maxRefreshes} times in one attempt. The page that expired is fetched again from the new URL; the
 * pages before it stay written.
 *
 * @param expiredWhen matched against the body of a 400 or 403
 * @param maxRefreshes most fresh URLs one attempt asks for
 * @param fresh the first page's request with a fresh URL
 */
public record ResultRefresh(Pattern expiredWhen, int maxRefreshes, Supplier<okhttp3.Request> fresh) {

  /** Whether an answer with {@code status} and {@code body} says the URL expired. */
  boolean expired(int status, String body) {
    return (status == 400 || status == 403) && expiredWhen.matcher(body).find();
  }
}
