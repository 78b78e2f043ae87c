package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How to page through a result.
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
 * @param type one of the styles above (default none)
 * @param header header-locator: response header name
 * @param param query parameter carrying locator, cursor, page or offset
 * @param endValue header-locator: value meaning "no more pages" (default {@code null})
 * @param pointer next-url / cursor: JSON pointer into the page body
 * @param pageSizeParam optional query parameter carrying the page size (e.g. {@code maxRecords})
 * @param pageSize page size sent in {@code pageSizeParam}
 * @param start page / offset: first value (default 1 for page, 0 for offset)
 * @param maxPages most pages one extract reads (default {@link #DEFAULT_MAX_PAGES})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PaginationSpec(
    String type,
    String header,
    String param,
    String endValue,
    String pointer,
    String pageSizeParam,
    Integer pageSize,
    Integer start,
    Integer maxPages) {

  /**
   * Far more than a real result needs (25 million rows at 1,000 a page, Salesforce's largest
   * results at its default page size), yet it stops a runaway within an hour or two.
   */
  public static final int DEFAULT_MAX_PAGES = 100_000;

  public static final PaginationSpec NONE =
      new PaginationSpec("none", null, null, null, null, null, null, null, null);

  public PaginationSpec {
    type = type == null ? "none" : type;
    endValue = endValue == null ? "null" : endValue;
    start = start == null ? ("page".equals(type) ? 1 : 0) : start;
    maxPages = maxPages == null ? DEFAULT_MAX_PAGES : maxPages;
  }
}
