package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * How to download a ready job's result.
 *
 * @param url URL template of the first page
 * @param headers header templates
 * @param format how a page's body is parsed (default CSV with a header row)
 * @param compression {@code auto} (default: gzip when the response says so), {@code gzip}, {@code
 *     none}
 * @param pagination how to get from one page to the next (default: a single page)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExtractSpec(
    String url,
    Map<String, String> headers,
    FormatSpec format,
    String compression,
    PaginationSpec pagination) {
  public ExtractSpec {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    format = format == null ? FormatSpec.CSV : format;
    compression = compression == null ? "auto" : compression;
    pagination = pagination == null ? PaginationSpec.NONE : pagination;
  }
}
