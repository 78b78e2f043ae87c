package dev.sluice.activities.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.activities.parquet.RecordSink;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * JSON pages whose records are an array of objects at a JSON pointer ({@code ""}: the document is
 * the array). The document is streamed once: records go to the sink as they are read, and the
 * scalar values at the other requested pointers (a next-page URL or cursor, before or after the
 * array) are captured on the way. Containers on the path to neither are skipped unparsed.
 *
 * <p>A records pointer whose value is null means an empty page; one that is absent from the
 * document, or holds something other than an array of objects, makes the page malformed, as do
 * bytes not valid in the charset (UTF-8 by default) and values longer than {@code
 * format.maxFieldSize}.
 */
public final class JsonPageParser implements PageParser {
  private final String recordsPath;
  private final Set<String> captures;
  private final JsonRecordReader records;

  /** The names of the values of a record that is an array, or null: records are objects. */
  private List<String> arrayColumns;

  /**
   * A parser of UTF-8 pages with the default value limit.
   *
   * @param factory the worker's JSON factory
   * @param recordsPath JSON pointer of the records array
   * @param captures JSON pointers of scalars to capture (e.g. {@code /nextRecordsUrl})
   * @throws IllegalArgumentException when a pointer is not a valid JSON pointer
   */
  public JsonPageParser(JsonFactory factory, String recordsPath, Set<String> captures) {
    this(factory, recordsPath, captures, PageText.DEFAULTS, false);
  }

  /**
   * @param factory the worker's JSON factory
   * @param recordsPath JSON pointer of the records array
   * @param captures JSON pointers of scalars to capture (e.g. {@code /nextRecordsUrl})
   * @param text the charset and the longest value
   * @param nestedValues read nested objects and arrays as values for struct and list columns
   *     ({@code format.nested: struct}), not as JSON text
   * @throws IllegalArgumentException when a pointer is not a valid JSON pointer
   */
  public JsonPageParser(
      JsonFactory factory,
      String recordsPath,
      Set<String> captures,
      PageText text,
      boolean nestedValues) {
    this.recordsPath = JsonPointer.compile(recordsPath).toString();
    this.captures =
        captures.stream()
            .map(pointer -> JsonPointer.compile(pointer).toString())
            .collect(Collectors.toUnmodifiableSet());
    this.records = new JsonRecordReader(factory, text, nestedValues);
  }

  /**
   * This parser, reading a record that is an array of values (Snowflake's {@code jsonv2} rows)
   * as the columns {@code names}, in order; null: every record must be an object.
   */
  public JsonPageParser withArrayColumns(List<String> names) {
    this.arrayColumns = names == null ? null : List.copyOf(names);
    return this;
  }

  @Override
  public PageSummary parse(InputStream body, int page, RecordSink sink) throws IOException {
    JsonParser parser = null;
    try (JsonParser p = records.open(body)) {
      parser = p;
      return parse(p, page, sink);
    } catch (JsonProcessingException | UndecodableBytesException e) {
      // Any other IOException is the connection's, and stays retryable.
      throw records.malformed(page, parser, e);
    }
  }

  @Override
  public void checkMediaType(int page, String where, String contentType) {
    MediaTypes.require(MediaTypes.Format.JSON, page, where, contentType);
  }

  private PageSummary parse(JsonParser parser, int page, RecordSink sink) throws IOException {
    Map<String, String> captured = new HashMap<>();
    long count = 0;
    boolean found = false;
    for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
      if (token == JsonToken.FIELD_NAME || token.isStructEnd()) {
        continue;
      }
      String path = pointerOfCurrentValue(parser, token);
      if (path.equals(recordsPath)) {
        found = true;
        count += readRecords(parser, token, page, sink);
      } else if (token.isScalarValue()) {
        if (token != JsonToken.VALUE_NULL && captures.contains(path)) {
          captured.put(path, parser.getText());
        }
      } else if (!leadsToWantedValue(path)) {
        parser.skipChildren();
      }
    }
    if (!found) {
      throw new MalformedDataException(
          page,
          parser.currentLocation().getLineNr(),
          "no records at JSON pointer '" + recordsPath + "'");
    }
    return new PageSummary(count, captured);
  }

  private long readRecords(JsonParser parser, JsonToken token, int page, RecordSink sink)
      throws IOException {
    if (token == JsonToken.VALUE_NULL) {
      return 0;
    }
    if (token != JsonToken.START_ARRAY) {
      throw new MalformedDataException(
          page,
          parser.currentLocation().getLineNr(),
          "expected an array of records at '" + recordsPath + "', found " + token);
    }
    long count = 0;
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
      if (t == JsonToken.START_ARRAY && arrayColumns != null) {
        records.readArray(parser, arrayColumns, sink, page, count + 1);
        count++;
        continue;
      }
      if (t != JsonToken.START_OBJECT) {
        throw new MalformedDataException(
            page,
            parser.currentLocation().getLineNr(),
            "record " + (count + 1) + " at '" + recordsPath + "' is not an object but " + t);
      }
      records.read(parser, sink, page, count + 1);
      count++;
    }
    return count;
  }

  /** The pointer of the value starting at the current token. */
  private static String pointerOfCurrentValue(JsonParser parser, JsonToken token) {
    // A container's start token already opened its own context; its pointer is its parent's path.
    return (token.isStructStart()
            ? parser.getParsingContext().getParent()
            : parser.getParsingContext())
        .pathAsPointer()
        .toString();
  }

  private boolean leadsToWantedValue(String path) {
    String prefix = path + "/";
    return recordsPath.startsWith(prefix) || captures.stream().anyMatch(c -> c.startsWith(prefix));
  }
}
