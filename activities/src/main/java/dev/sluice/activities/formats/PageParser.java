package dev.sluice.activities.formats;

import dev.sluice.activities.parquet.RecordSink;
import java.io.IOException;
import java.io.InputStream;

/**
 * Streams the records of one page into a {@link RecordSink}. A parser is used for every page of one
 * extraction, in order, so it can keep the columns stable across pages; it is not thread-safe.
 */
public interface PageParser {

  /**
   * Parses a whole page.
   *
   * @param body the page's (decompressed) body; not closed
   * @param page 1-based page number, used in error messages
   * @param sink receives the columns and the records
   * @return the record count and the captured pointer values
   * @throws MalformedDataException when the page is not well-formed, naming page and line
   * @throws IOException when reading the body fails (e.g. the connection dropped)
   */
  PageSummary parse(InputStream body, int page, RecordSink sink) throws IOException;

  /**
   * Refuses a page whose response declares a media type this format cannot be: an HTML error page
   * answered with 200, say, which CSV would otherwise read as a table with a column named {@code
   * <html>}. An absent, generic or unknown media type passes. Call it for each page before {@link
   * #parse}; it reads nothing.
   *
   * @param page 1-based page number
   * @param where the page's request, safe for messages (e.g. method and URL without its query,
   *     which may carry a key)
   * @param contentType the response's {@code Content-Type}, or null
   * @throws MalformedDataException naming the page, {@code where} and the media type
   */
  default void checkMediaType(int page, String where, String contentType) {}
}
