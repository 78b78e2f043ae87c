package dev.sluice.activities.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.formats.PageSummary;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The paging loop for small JSON pages read whole (a file listing): from the first request, each
 * page is parsed, handed over, and the next one found by a {@link Pagination} style, the same
 * styles an extract pages with. Result pages of an extract are streamed by {@link PagedExtractor}
 * instead.
 *
 * @param http the provider connection
 * @param mapper parses the pages
 * @param what what messages call a page, e.g. {@code "listing page"}
 * @param maxPages more pages than this means the paging is looping
 */
public record JsonPages(ProviderHttp http, ObjectMapper mapper, String what, int maxPages) {

  /** Takes one parsed page. */
  @FunctionalInterface
  public interface PageReader {
    /**
     * @param url the page's URL, what relative links in it resolve against
     * @param body the page's JSON
     * @return how many records the page held (what page and offset styles count)
     */
    long read(HttpUrl url, JsonNode body);
  }

  /**
   * Reads every page from {@code first} on, as {@code pagination} finds them.
   *
   * @return the number of pages read
   * @throws ApplicationFailure non-retryable {@link FailureType#INVALID_PIPELINE} for a page that
   *     is not JSON or more than {@code maxPages} pages; {@link FailureType#MALFORMED_DATA} for a
   *     next-page link that is not a URL; retryable {@link FailureType#HTTP_TRANSIENT} when a body
   *     cannot be read; whatever {@link ProviderHttp#execute(Request)} and {@code reader} throw
   */
  public int readAll(Request first, Pagination pagination, PageReader reader) {
    PageCursor cursor = pagination.first();
    int pages = 0;
    while (cursor != null) {
      if (++pages > maxPages) {
        throw ApplicationFailure.newNonRetryableFailure(
            "more than " + maxPages + " " + what + "s; is the paging looping?",
            FailureType.INVALID_PIPELINE.type());
      }
      Request request = requestFor(first, pagination, cursor, pages == 1);
      HttpUrl url = request.url();
      JsonNode body;
      Headers headers;
      try (Response response = http.execute(request)) {
        headers = response.headers();
        body = parse(url, response);
      }
      long records = reader.read(url, body);
      cursor =
          pagination.next(
              cursor,
              new Pagination.ReadPage(
                  url, headers::get, new PageSummary(records, captured(body, pagination))));
    }
    return pages;
  }

  /**
   * The first page as rendered; a later page at the URL the style gives. A next-page link the
   * provider returned is fetched with GET, whatever the first page's method.
   */
  private static Request requestFor(
      Request first, Pagination pagination, PageCursor cursor, boolean isFirst) {
    if (isFirst) {
      return first;
    }
    Request.Builder next = first.newBuilder().url(pagination.pageUrl(first.url(), cursor));
    return pagination.placement() instanceof PaginationSpec.TokenPlacement.Url
        ? next.get().build()
        : next.build();
  }

  private JsonNode parse(HttpUrl url, Response response) {
    try {
      return mapper.readTree(response.body().byteStream());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          what + " " + describe(url) + " is not JSON: " + e.getMessage(),
          FailureType.INVALID_PIPELINE.type());
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "reading " + what + " " + describe(url) + " failed: " + e.getMessage(),
          FailureType.HTTP_TRANSIENT.type(),
          e);
    }
  }

  /** The values of the pointers it reads (next URL, cursor); absent or null ones left out. */
  private static Map<String, String> captured(JsonNode body, Pagination pagination) {
    Map<String, String> captured = new HashMap<>();
    for (String pointer : pagination.bodyPointers()) {
      JsonNode value = body.at(pointer);
      if (!value.isMissingNode() && !value.isNull()) {
        captured.put(pointer, value.asText());
      }
    }
    return captured;
  }

  /** Scheme, host and path: never the query string, which may carry a signature or a key. */
  public static String describe(HttpUrl url) {
    return url.scheme() + "://" + url.host() + ":" + url.port() + url.encodedPath();
  }
}
