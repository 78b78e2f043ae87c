package dev.sluice.activities.http;

import dev.sluice.activities.formats.PageSummary;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.Set;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;

/**
 * The paging styles of {@link PaginationSpec}: how to address a page and how to find the next one
 * from the page just read.
 */
public sealed interface Pagination {

  /** The cursor of the first page. */
  PageCursor first();

  /** The URL of the page at {@code cursor}, given the rendered URL of the first page. */
  HttpUrl pageUrl(HttpUrl firstPageUrl, PageCursor cursor);

  /** The cursor of the page after {@code page}, or null when {@code page} was the last one. */
  PageCursor next(PageCursor current, ReadPage page);

  /**
   * Whether {@link #next} needs the page's parsed body (its records or captured values); when it
   * does not, the next page can be requested while this one is parsed.
   */
  default boolean nextNeedsBody() {
    return true;
  }

  /** JSON pointers this style needs captured from each page body (next URL, cursor). */
  default Set<String> bodyPointers() {
    return Set.of();
  }

  /**
   * What was learnt from reading one page.
   *
   * @param url the URL the page was fetched from
   * @param header looks up a response header, null when absent
   * @param summary the parser's record count and captured values
   */
  record ReadPage(HttpUrl url, UnaryOperator<String> header, PageSummary summary) {}

  /**
   * The pagination {@code spec} describes.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#INVALID_PIPELINE} for an unknown
   *     type or a field the type needs left out
   */
  static Pagination of(PaginationSpec spec) {
    PageSize size = new PageSize(spec.pageSizeParam(), spec.pageSize());
    return switch (spec.type()) {
      case "none" -> new Single(size);
      case "header-locator" ->
          new HeaderLocator(
              required(spec.header(), "header", spec),
              required(spec.param(), "param", spec),
              spec.endValue(),
              size);
      case "next-url" -> new NextUrl(required(spec.pointer(), "pointer", spec), size);
      case "cursor" ->
          new Cursor(
              required(spec.pointer(), "pointer", spec),
              required(spec.param(), "param", spec),
              size);
      case "page" -> new Counted(required(spec.param(), "param", spec), spec.start(), false, size);
      case "offset" -> new Counted(required(spec.param(), "param", spec), spec.start(), true, size);
      default ->
          throw ApplicationFailure.newNonRetryableFailure(
              "unknown pagination type '"
                  + spec.type()
                  + "'; expected none, header-locator, next-url, cursor, page or offset",
              FailureType.INVALID_PIPELINE.type());
    };
  }

  private static String required(String value, String field, PaginationSpec spec) {
    if (value == null || value.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "pagination type " + spec.type() + " needs '" + field + "'",
          FailureType.INVALID_PIPELINE.type());
    }
    return value;
  }

  /**
   * The optional page-size query parameter (e.g. Salesforce's {@code maxRecords}).
   *
   * @param param query parameter, or null for none
   * @param size page size, or null for the provider's default
   */
  record PageSize(String param, Integer size) {
    HttpUrl apply(HttpUrl url) {
      return param == null || size == null
          ? url
          : url.newBuilder().setQueryParameter(param, Integer.toString(size)).build();
    }

    /** Whether a page of {@code records} is shorter than a full page, so the last one. */
    boolean isShort(long records) {
      return size != null && records < size;
    }
  }

  /** One request. */
  record Single(PageSize size) implements Pagination {
    @Override
    public PageCursor first() {
      return new PageCursor(null, 0);
    }

    @Override
    public HttpUrl pageUrl(HttpUrl firstPageUrl, PageCursor cursor) {
      return size.apply(firstPageUrl);
    }

    @Override
    public PageCursor next(PageCursor current, ReadPage page) {
      return null;
    }

    @Override
    public boolean nextNeedsBody() {
      return false;
    }
  }

  /** A response header holds the next page's locator, sent back as a query parameter. */
  record HeaderLocator(String header, String param, String endValue, PageSize size)
      implements Pagination {
    @Override
    public PageCursor first() {
      return new PageCursor(null, 0);
    }

    @Override
    public HttpUrl pageUrl(HttpUrl firstPageUrl, PageCursor cursor) {
      HttpUrl url = size.apply(firstPageUrl);
      return cursor.token() == null
          ? url
          : url.newBuilder().setQueryParameter(param, cursor.token()).build();
    }

    @Override
    public PageCursor next(PageCursor current, ReadPage page) {
      String locator = page.header().apply(header);
      return locator == null || locator.isEmpty() || locator.equals(endValue)
          ? null
          : new PageCursor(locator, current.number() + 1);
    }

    @Override
    public boolean nextNeedsBody() {
      return false;
    }
  }

  /** A body field holds the next page's URL, absolute or relative to the current page's. */
  record NextUrl(String pointer, PageSize size) implements Pagination {
    @Override
    public PageCursor first() {
      return new PageCursor(null, 0);
    }

    @Override
    public HttpUrl pageUrl(HttpUrl firstPageUrl, PageCursor cursor) {
      // Later pages use the provider's URL as given: it already carries its own page size.
      return cursor.token() == null ? size.apply(firstPageUrl) : HttpUrl.get(cursor.token());
    }

    @Override
    public PageCursor next(PageCursor current, ReadPage page) {
      String next = page.summary().captured().get(pointer);
      if (next == null || next.isEmpty()) {
        return null;
      }
      HttpUrl url = page.url().resolve(next);
      if (url == null) {
        throw ApplicationFailure.newNonRetryableFailure(
            "page "
                + (current.number() + 1)
                + ": next page URL '"
                + next
                + "' at "
                + pointer
                + " is not a URL",
            FailureType.MALFORMED_DATA.type());
      }
      return new PageCursor(url.toString(), current.number() + 1);
    }

    @Override
    public Set<String> bodyPointers() {
      return Set.of(pointer);
    }
  }

  /**
   * A body field holds a cursor, sent back as a query parameter. A missing, empty or unchanged
   * cursor ends the paging (an unchanged one would otherwise loop forever).
   */
  record Cursor(String pointer, String param, PageSize size) implements Pagination {
    @Override
    public PageCursor first() {
      return new PageCursor(null, 0);
    }

    @Override
    public HttpUrl pageUrl(HttpUrl firstPageUrl, PageCursor cursor) {
      HttpUrl url = size.apply(firstPageUrl);
      return cursor.token() == null
          ? url
          : url.newBuilder().setQueryParameter(param, cursor.token()).build();
    }

    @Override
    public PageCursor next(PageCursor current, ReadPage page) {
      String cursor = page.summary().captured().get(pointer);
      return cursor == null || cursor.isEmpty() || cursor.equals(current.token())
          ? null
          : new PageCursor(cursor, current.number() + 1);
    }

    @Override
    public Set<String> bodyPointers() {
      return Set.of(pointer);
    }
  }

  /**
   * A query parameter counts pages ({@code byRecords} false) or records (true) from {@code start};
   * an empty or short page is the last.
   */
  record Counted(String param, long start, boolean byRecords, PageSize size) implements Pagination {
    @Override
    public PageCursor first() {
      return new PageCursor(null, start);
    }

    @Override
    public HttpUrl pageUrl(HttpUrl firstPageUrl, PageCursor cursor) {
      return size.apply(firstPageUrl)
          .newBuilder()
          .setQueryParameter(param, Long.toString(cursor.number()))
          .build();
    }

    @Override
    public PageCursor next(PageCursor current, ReadPage page) {
      long records = page.summary().records();
      if (records == 0 || size.isShort(records)) {
        return null;
      }
      return new PageCursor(null, current.number() + (byRecords ? records : 1));
    }
  }
}
