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
}
