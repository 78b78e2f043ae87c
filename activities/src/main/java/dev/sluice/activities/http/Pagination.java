package dev.sluice.activities.http;

import dev.sluice.activities.formats.PageSummary;
import dev.sluice.pipeline.PaginationSpec.TokenPlacement;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import okhttp3.HttpUrl;

/**
 * The paging styles of {@link PaginationSpec}: a {@link Strategy} (how the next page's token is
 * found) times the {@link TokenPlacement} its record names (where the token goes), plus the
 * optional page size.
 *
 * @param strategy finds each next page's token
 * @param placement puts a token into a page's URL
 * @param size the optional page-size query parameter
 */
public record Pagination(Strategy strategy, TokenPlacement placement, PageSize size) {

  /**
   * What was learnt from reading one page.
   *
   * @param url the URL the page was fetched from
   * @param header looks up a response header, null when absent
   * @param summary the parser's record count and captured values
   */
  public record ReadPage(HttpUrl url, UnaryOperator<String> header, PageSummary summary) {}

  /**
   * The pagination {@code spec} describes: the one place a pagination style is given its runtime.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#INVALID_PIPELINE} for a key the
   *     style needs left out
   */
  public static Pagination of(PaginationSpec spec) {
    List<String> missing = spec.missing();
    if (!missing.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "pagination type " + spec.typeName() + " needs '" + missing.get(0) + "'",
          FailureType.INVALID_PIPELINE.type());
    }
    return new Pagination(
        strategy(spec), spec.placement(), new PageSize(spec.pageSizeParam(), spec.pageSize()));
  }

  // Java 17 has no pattern switch: one branch per record of the sealed PaginationSpec.
  private static Strategy strategy(PaginationSpec spec) {
    if (spec instanceof PaginationSpec.None) {
      return new SinglePage();
    } else if (spec instanceof PaginationSpec.HeaderLocator locator) {
      return new HeaderToken(locator.header(), locator.endValue());
    } else if (spec instanceof PaginationSpec.NextUrl next) {
      return new BodyUrl(next.pointer());
    } else if (spec instanceof PaginationSpec.Cursor cursor) {
      return new BodyCursor(cursor.pointer());
    } else if (spec instanceof PaginationSpec.Page page) {
      return new Counter(page.start(), false);
    } else if (spec instanceof PaginationSpec.Offset offset) {
      return new Counter(offset.start(), true);
    }
    throw new IllegalStateException("no strategy for pagination type " + spec.typeName());
  }

  /** The cursor of the first page. */
  public PageCursor first() {
    return strategy.first();
  }

  /** The URL of the page at {@code cursor}, given the rendered URL of the first page. */
  public HttpUrl pageUrl(HttpUrl firstPageUrl, PageCursor cursor) {
    String token = strategy.token(cursor);
    HttpUrl first = size.apply(firstPageUrl);
    if (token == null) {
      return first;
    }
    if (placement instanceof TokenPlacement.QueryParameter query) {
      return first.newBuilder().setQueryParameter(query.name(), token).build();
    } else if (placement instanceof TokenPlacement.Url) {
      // Later pages use the provider's URL as given: it already carries its own page size.
      return HttpUrl.get(token);
    }
    return first;
  }

  /** The cursor of the page after {@code page}, or null when {@code page} was the last one. */
  public PageCursor next(PageCursor current, ReadPage page) {
    return strategy.next(current, page, size);
  }

  /**
   * Whether {@link #next} needs the page's parsed body (its records or captured values); when it
   * does not, the next page can be requested while this one is parsed.
   */
  public boolean nextNeedsBody() {
    return strategy.nextNeedsBody();
  }

  /** JSON pointers this style needs captured from each page body (next URL, cursor). */
  public Set<String> bodyPointers() {
    return strategy.bodyPointers();
  }

  /** How the next page's token is found (Airbyte's pagination strategy). */
  public sealed interface Strategy {
    /** The cursor of the first page. */
    default PageCursor first() {
      return new PageCursor(null, 0);
    }

    /** The token {@code cursor} puts into its page's request, null for the first page as is. */
    default String token(PageCursor cursor) {
      return cursor.token();
    }

    /** The cursor after {@code page}, or null when it was the last one. */
    PageCursor next(PageCursor current, ReadPage page, PageSize size);

    /** Whether {@link #next} reads the parsed body. */
    default boolean nextNeedsBody() {
      return true;
    }

    /** JSON pointers to capture from each page body. */
    default Set<String> bodyPointers() {
      return Set.of();
    }
  }

  /**
   * The optional page-size query parameter (e.g. Salesforce's {@code maxRecords}).
   *
   * @param param query parameter, or null for none
   * @param size page size, or null for the provider's default
   */
  public record PageSize(String param, Integer size) {
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
  record SinglePage() implements Strategy {
    @Override
    public PageCursor next(PageCursor current, ReadPage page, PageSize size) {
      return null;
    }

    @Override
    public boolean nextNeedsBody() {
      return false;
    }
  }

  /** A response header holds the next page's token; {@code endValue} or none ends. */
  record HeaderToken(String header, String endValue) implements Strategy {
    @Override
    public PageCursor next(PageCursor current, ReadPage page, PageSize size) {
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
  record BodyUrl(String pointer) implements Strategy {
    @Override
    public PageCursor next(PageCursor current, ReadPage page, PageSize size) {
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
   * A body field holds a cursor. A missing, empty or unchanged cursor ends the paging (an
   * unchanged one would otherwise loop forever).
   */
  record BodyCursor(String pointer) implements Strategy {
    @Override
    public PageCursor next(PageCursor current, ReadPage page, PageSize size) {
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
   * A counter of pages ({@code byRecords} false) or records (true) from {@code start}, sent as the
   * token of every page; an empty or short page is the last.
   */
  record Counter(long start, boolean byRecords) implements Strategy {
    @Override
    public PageCursor first() {
      return new PageCursor(null, start);
    }

    @Override
    public String token(PageCursor cursor) {
      return Long.toString(cursor.number());
    }

    @Override
    public PageCursor next(PageCursor current, ReadPage page, PageSize size) {
      long records = page.summary().records();
      if (records == 0 || size.isShort(records)) {
        return null;
      }
      return new PageCursor(null, current.number() + (byRecords ? records : 1));
    }
  }
}
