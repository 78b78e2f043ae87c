package dev.sluice.activities.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.activities.parquet.RecordSink;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * Newline-delimited JSON pages: one object per line, blank lines skipped. The page is read as one
 * stream of root-level values, so line numbers in errors are exact and no line is copied. Bytes
 * that are not valid in the charset (UTF-8 by default) and values longer than {@code
 * format.maxFieldSize} make the page malformed.
 */
public final class NdjsonPageParser implements PageParser {
  private final JsonRecordReader records;

  /**
   * A parser of UTF-8 pages with the default value limit.
   *
   * @param factory the worker's JSON factory
   */
  public NdjsonPageParser(JsonFactory factory) {
    this(factory, PageText.DEFAULTS, false);
  }

  /**
   * @param factory the worker's JSON factory
   * @param text the charset and the longest value
   * @param nestedValues read nested objects and arrays as values for struct and list columns
   *     ({@code format.nested: struct}), not as JSON text
   */
  public NdjsonPageParser(JsonFactory factory, PageText text, boolean nestedValues) {
    this.records = new JsonRecordReader(factory, text, nestedValues);
  }

  @Override
  public PageSummary parse(InputStream body, int page, RecordSink sink) throws IOException {
    long count = 0;
    JsonParser parser = null;
    try (JsonParser p = records.open(body)) {
      parser = p;
      for (JsonToken token = p.nextToken(); token != null; token = p.nextToken()) {
        if (token != JsonToken.START_OBJECT) {
          throw new MalformedDataException(
              page, p.currentLocation().getLineNr(), "expected a JSON object, found " + token);
        }
        records.read(p, sink, page, count + 1);
        count++;
      }
    } catch (JsonProcessingException | UndecodableBytesException e) {
      // Any other IOException is the connection's, and stays retryable.
      throw records.malformed(page, parser, e);
    }
    return new PageSummary(count, Map.of());
  }

  @Override
  public void checkMediaType(int page, String where, String contentType) {
    MediaTypes.require(MediaTypes.Format.NDJSON, page, where, contentType);
  }
}
