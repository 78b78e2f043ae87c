package dev.sluice.activities.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.activities.parquet.RecordSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.Map;

/**
 * Newline-delimited JSON pages: one object per line, blank lines skipped. The page is read as one
 * stream of root-level values, so line numbers in errors are exact and no line is copied. Bytes
 * that are not valid in the charset (UTF-8 by default) and values longer than {@code
 * format.maxFieldSize} make the page malformed.
 *
 * <p>UTF-8 pages are parsed as bytes: flat records by {@link FlatJsonScanner} in place, and from
 * the first record it does not take on, by Jackson's byte parser over a {@link CheckedUtf8Stream}.
 * The char parser over decoded text ({@link DecodingReader}) is the reference for every error: at
 * any failure the page is read again from the end of the last good record with it, so records and
 * errors (line, column, message) are the ones it gives.
 */
public final class NdjsonPageParser implements PageParser {
  private final JsonRecordReader records;

  /** Whether {@link FlatJsonScanner} reads UTF-8 records first. */
  private final boolean scan;

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
    this(new JsonRecordReader(factory, text, nestedValues));
  }

  /** A parser reading records with {@code records} (tests choose its path through it). */
  NdjsonPageParser(JsonRecordReader records) {
    this(records, true);
  }

  /**
   * As {@link #NdjsonPageParser(JsonRecordReader)}; {@code scan} false leaves every UTF-8 record
   * to Jackson's byte parser (for tests that compare the two).
   */
  NdjsonPageParser(JsonRecordReader records, boolean scan) {
    this.records = records;
    this.scan = scan;
  }

  @Override
  public PageSummary parse(InputStream body, int page, RecordSink sink) throws IOException {
    if (!records.readsUtf8Bytes()) {
      return parse(records.decode(body), page, sink, 0);
    }
    CheckedUtf8Stream bytes = new CheckedUtf8Stream(body);
    long count = 0;
    if (scan && records.scansFlatObjects()) {
      FlatJsonScanner scanner = new FlatJsonScanner(bytes, records);
      for (Object[] row = scanner.next(); row != null; row = scanner.next()) {
        records.send(row, sink);
        count++;
      }
      if (scanner.atEnd()) {
        return new PageSummary(count, Map.of());
      }
    }
    return parse(bytes, page, sink, count);
  }

  /**
   * Reads records with Jackson's byte parser from the stream's mark on, after {@code count} read
   * before it; at any failure, with the char parser from the last good record on.
   */
  private PageSummary parse(CheckedUtf8Stream bytes, int page, RecordSink sink, long count)
      throws IOException {
    long shift = bytes.fromMarkShift();
    try (JsonParser p = records.openBytes(bytes.fromMark())) {
      while (true) {
        Object[] row;
        try {
          JsonToken token = p.nextToken();
          if (token == null) {
            break;
          }
          row = token == JsonToken.START_OBJECT ? records.row(p, null, page, count + 1) : null;
        } catch (JsonProcessingException | UndecodableBytesException | MalformedDataException e) {
          row = null;
        }
        if (row == null) {
          // Not an object, or an error: the char parser reads this record and the rest, and says
          // what is wrong as it would have from the page's start. Connection errors are not
          // caught: they stay retryable.
          records.forgetUnsent();
          return parse(bytes.replay(), page, sink, count);
        }
        records.send(row, sink);
        count++;
        JsonLocation end = p.currentLocation();
        bytes.mark(end.getByteOffset() + shift, end.getLineNr(), end.getColumnNr());
      }
    }
    return new PageSummary(count, Map.of());
  }

  /** Reads records from decoded text with the char parser, after {@code count} read before it. */
  private PageSummary parse(Reader text, int page, RecordSink sink, long count)
      throws IOException {
    JsonParser parser = null;
    try (JsonParser p = records.open(text)) {
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
