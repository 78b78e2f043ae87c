package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;

/**
 * How to page through a result; {@code type} in YAML selects the style (default {@code none}). A
 * style is a strategy (how the next page's token is found: a response header, a body field, a
 * counter) times where that token goes in the next request ({@link #placement()}: a query
 * parameter or the whole URL), as in Airbyte's declarative paginator; the YAML stays flat.
 *
 * <ul>
 *   <li>{@code none}: one request.
 *   <li>{@code header-locator}: a response header ({@code header}, e.g. {@code Sforce-Locator})
 *       holds the next page's locator, sent back as query parameter {@code param}; the value {@code
 *       endValue} (default {@code null}) or a missing header ends it.
 *   <li>{@code next-url}: the body field at {@code pointer} holds the next page's URL (absolute or
 *       relative); null or missing ends it.
 *   <li>{@code cursor}: the body field at {@code pointer} holds a cursor, sent back as {@code
 *       param}.
 *   <li>{@code page}: query parameter {@code param} counts pages from {@code start} (default 1).
 *   <li>{@code offset}: query parameter {@code param} counts records from {@code start} (default
 *       0).
 * </ul>
 *
 * Page and offset styles end on an empty page or a page shorter than {@code pageSize}. Whatever the
 * style, paging fails rather than loop: on a page URL already read in the run (a cursor cycle, a
 * next-URL loop, a repeated locator), on a page whose body is the same as the one before (a
 * provider ignoring the page parameter), and past {@code maxPages}.
 *
 * <p>Every style has {@code pageSizeParam} (optional query parameter carrying the page size, e.g.
 * {@code maxRecords}), {@code pageSize} and {@code maxPages} (most pages one extract reads, default
 * {@link #DEFAULT_MAX_PAGES}). Each style is one record here; {@code Pagination.of} (activities)
 * runs it. JSON written when this was one flat record (every key, nulls included) still reads.
 */
// No defaultImpl: an unknown type must fail to read, never fall back to none. The pipeline
// loader writes the default type into a YAML object that leaves it out.
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(PaginationSpec.None.class),
  @JsonSubTypes.Type(PaginationSpec.HeaderLocator.class),
  @JsonSubTypes.Type(PaginationSpec.NextUrl.class),
  @JsonSubTypes.Type(PaginationSpec.Cursor.class),
  @JsonSubTypes.Type(PaginationSpec.Page.class),
  @JsonSubTypes.Type(PaginationSpec.Offset.class)
})
public sealed interface PaginationSpec extends TypedComponent {

  /**
   * Far more than a real result needs (25 million rows at 1,000 a page, Salesforce's largest
   * results at its default page size), yet it stops a runaway within an hour or two.
   */
  int DEFAULT_MAX_PAGES = 100_000;

  /** One request, every default. */
  PaginationSpec NONE = new None(null, null, null);

  /** Optional query parameter carrying {@link #pageSize()}, or null. */
  String pageSizeParam();

  /** Records per page sent in {@link #pageSizeParam()}, or null for the provider's default. */
  Integer pageSize();

  /** Most pages one extract reads. */
  Integer maxPages();

  /**
   * Where the next page's token goes: the whole URL for {@code next-url}, query parameter {@code
   * param} for the styles that have one, nowhere for {@code none}.
   */
  default TokenPlacement placement() {
    if (this instanceof TokenInQuery inQuery) {
      return new TokenPlacement.QueryParameter(inQuery.param());
    }
    return this instanceof NextUrl ? new TokenPlacement.Url() : new TokenPlacement.Nowhere();
  }

  /** A style whose token goes back as query parameter {@code param}. */
  sealed interface TokenInQuery extends PaginationSpec {
    /** The query parameter carrying the token. */
    String param();
  }

  /** Where a page token goes in the next request (Airbyte's {@code page_token_option}). */
  sealed interface TokenPlacement {
    /** There is no next page. */
    record Nowhere() implements TokenPlacement {}

    /** The token is sent as query parameter {@code name} of the first page's URL. */
    record QueryParameter(String name) implements TokenPlacement {}

    /** The token is the next page's URL (absolute, or relative to the page it came from). */
    record Url() implements TokenPlacement {}
  }

  /** {@code none}: one request. */
  @JsonTypeName("none")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record None(String pageSizeParam, Integer pageSize, Integer maxPages) implements PaginationSpec {
    public None {
      maxPages = orDefault(maxPages);
    }
  }

  /**
   * {@code header-locator}: response header {@code header} holds the next locator, sent back as
   * query parameter {@code param}; {@code endValue} (default {@value #DEFAULT_END_VALUE}) or a
   * missing header ends.
   */
  @JsonTypeName("header-locator")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record HeaderLocator(
      @Required String header,
      @Required String param,
      String endValue,
      String pageSizeParam,
      Integer pageSize,
      Integer maxPages)
      implements TokenInQuery {
    public static final String DEFAULT_END_VALUE = "null";

    public HeaderLocator {
      endValue = endValue == null ? DEFAULT_END_VALUE : endValue;
      maxPages = orDefault(maxPages);
    }
  }

  /** {@code next-url}: the body field at {@code pointer} holds the next page's URL. */
  @JsonTypeName("next-url")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record NextUrl(@Required String pointer, String pageSizeParam, Integer pageSize, Integer maxPages)
      implements PaginationSpec {
    public NextUrl {
      maxPages = orDefault(maxPages);
    }
  }

  /** {@code cursor}: the body field at {@code pointer} holds a cursor, sent as {@code param}. */
  @JsonTypeName("cursor")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Cursor(
      @Required String pointer,
      @Required String param,
      String pageSizeParam,
      Integer pageSize,
      Integer maxPages)
      implements TokenInQuery {
    public Cursor {
      maxPages = orDefault(maxPages);
    }
  }

  /** {@code page}: query parameter {@code param} counts pages from {@code start} (default 1). */
  @JsonTypeName("page")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Page(
      @Required String param,
      Integer start,
      String pageSizeParam,
      Integer pageSize,
      Integer maxPages)
      implements TokenInQuery {
    public static final int DEFAULT_START = 1;

    public Page {
      start = start == null ? DEFAULT_START : start;
      maxPages = orDefault(maxPages);
    }
  }

  /** {@code offset}: query parameter {@code param} counts records from {@code start} (default 0) */
  @JsonTypeName("offset")
  @JsonIgnoreProperties(ignoreUnknown = true)
  record Offset(
      @Required String param,
      Integer start,
      String pageSizeParam,
      Integer pageSize,
      Integer maxPages)
      implements TokenInQuery {
    public static final int DEFAULT_START = 0;

    public Offset {
      start = start == null ? DEFAULT_START : start;
      maxPages = orDefault(maxPages);
    }
  }

  private static Integer orDefault(Integer maxPages) {
    return maxPages == null ? DEFAULT_MAX_PAGES : maxPages;
  }
}
