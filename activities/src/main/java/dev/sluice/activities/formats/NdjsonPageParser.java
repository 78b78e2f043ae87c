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
 * errors (line, column, message) are the ones it gives. A sink that {@link
 * RecordSink#takesUtf8Text takes them} receives the scanner's non-empty string values as {@link
 * dev.sluice.activities.parquet.Utf8Text}; values read by either Jackson parser stay Strings.
 */
public final class NdjsonPageParser implements PageParser {
  private final JsonRecordReader records;

  /** Whether {@link FlatJsonScanner} reads UTF-8 records first. */
  private final boolean scan;

  /** Records of the page being parsed handed over so far by the byte paths. */
  private long sent;

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
    FlatJsonScanner scanner =
        scan && records.scansFlatObjects()
            ? new FlatJsonScanner(bytes, records, sink.takesUtf8Text())
            : null;
    sent = 0;
    // How many records Jackson reads before the scanner tries again: more each time the scanner
    // reads few, since every hand-over starts a parser.
    long jacksonRecords = 1;
    while (true) {
      if (scanner != null) {
        long before = sent;
        for (Object[] row = scanner.next(); row != null; row = scanner.next()) {
          records.send(row, sink);
          sent++;
        }
        if (scanner.atEnd()) {
          return new PageSummary(sent, Map.of());
        }
        jacksonRecords = sent - before >= 8 ? 1 : Math.min(2 * jacksonRecords, 1 << 20);
      }
      PageSummary done =
          parse(bytes, page, sink, scanner == null ? Long.MAX_VALUE : jacksonRecords);
      if (done != null) {
        return done;
      }
      scanner.resume();
    }
  }

  /**
   * Reads up to {@code most} records with Jackson's byte parser from the stream's mark on (and on
   * any failure, the rest with the char parser from the last good record on).
   *
   * @return the page's summary, or null if it has more records after {@code most}
   */
  private PageSummary parse(CheckedUtf8Stream bytes, int page, RecordSink sink, long most)
      throws IOException {
    long shift = bytes.fromMarkShift();
    int firstLine = Math.max(1, bytes.markLine());
    int firstColumn = bytes.markLine() == 0 ? 1 : bytes.markColumn();
    try (JsonParser p = records.openBytes(bytes.fromMark())) {
      for (long read = 0; read < most; read++) {
        Object[] row;
        try {
          JsonToken token = p.nextToken();
          if (token == null) {
            return new PageSummary(sent, Map.of());
          }
          row = token == JsonToken.START_OBJECT ? records.row(p, null, page, sent + 1) : null;
        } catch (JsonProcessingException | UndecodableBytesException | MalformedDataException e) {
          row = null;
        }
        if (row == null) {
          // Not an object, or an error: the char parser reads this record and the rest, and says
          // what is wrong as it would have from the page's start. Connection errors are not
          // caught: they stay retryable.
          records.forgetUnsent();
          return parse(bytes.replay(), page, sink, sent);
        }
        records.send(row, sink);
        sent++;
        // Its lines and columns count from the mark (padding the bytes before instead would
        // cost the parser as many line feeds at each hand-over).
        JsonLocation end = p.currentLocation();
        int line = end.getLineNr();
        bytes.mark(
            end.getByteOffset() + shift,
            firstLine + line - 1,
            line == 1 ? firstColumn + end.getColumnNr() - 1 : end.getColumnNr());
      }
    }
    return null;
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
