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
 * stream of root-level values, so line numbers in errors are exact and no line is copied.
 */
public final class NdjsonPageParser implements PageParser {
  private final JsonFactory factory;
  private final JsonRecordReader records;

  /**
   * @param factory the worker's JSON factory
   */
  public NdjsonPageParser(JsonFactory factory) {
    this.factory = factory;
    this.records = new JsonRecordReader(factory);
  }

  @Override
  public PageSummary parse(InputStream body, int page, RecordSink sink) throws IOException {
    long count = 0;
    try (JsonParser parser = factory.createParser(body)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if (token != JsonToken.START_OBJECT) {
          throw new MalformedDataException(
              page, parser.currentLocation().getLineNr(), "expected a JSON object, found " + token);
        }
        records.read(parser, sink);
        count++;
      }
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new MalformedDataException(page, line, "invalid JSON: " + e.getOriginalMessage(), e);
    }
    return new PageSummary(count, Map.of());
  }
}
