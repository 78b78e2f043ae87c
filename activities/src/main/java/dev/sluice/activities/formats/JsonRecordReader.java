package dev.sluice.activities.formats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.sluice.activities.parquet.RecordSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns JSON objects into sink records. Keys become columns in order of first appearance across all
 * pages; a record introducing a key announces the grown column list before it is handed over.
 * Values: strings as {@code String}, integers as {@code Long} ({@code BigDecimal} beyond its
 * range), other numbers as {@code Double} (faster than {@code BigDecimal}, and exact enough for
 * what providers emit as JSON numbers), booleans, null, and nested objects/arrays as JSON text; or,
 * when reading nested values ({@code format.nested: struct}), as a {@code Map} (keys in order) and
 * a {@code List} of the same values, for struct and list columns.
 *
 * <p>Also what the JSON formats share about reading a page's text: a factory whose string limit
 * is {@code format.maxFieldSize} (Jackson checks it as the string grows, so a huge value fails
 * before it is held whole), strict decoding, and the messages of both.
 */
final class JsonRecordReader {
  private final JsonFactory factory;
  private final PageText text;
  private final Map<String, Integer> indexes = new HashMap<>();
  private final List<String> columns = new ArrayList<>();

  /** {@code columns} as Jackson's pre-quoted names, for {@code nextFieldName(SerializableString)}. */
  private final List<SerializedString> quotedNames = new ArrayList<>();
  private final boolean nestedValues;

  /** How many of {@code columns} the sink has been told of; the rest came with an unsent row. */
  private int announced;

  /** UTF-8 pages may be parsed as bytes ({@link #openBytes}), not decoded first. */
  private final boolean utf8Bytes;

  /** {@code factory} without charset detection, for byte parsers. */
  private final JsonFactory byteFactory;

  /** Column index of each key position of the previous record; -1 where unknown. */
  private int[] lastOrder = new int[0];

  /**
   * @param factory the worker's JSON factory; a copy with the limit is used, the original is left
   *     alone
   * @param text the charset and the longest value
   * @param nestedValues read nested objects and arrays as {@code Map} and {@code List} rather than
   *     as JSON text
   */
  JsonRecordReader(JsonFactory factory, PageText text, boolean nestedValues) {
    this(factory, text, nestedValues, true);
  }

  /**
   * As {@link #JsonRecordReader(JsonFactory, PageText, boolean)}; {@code utf8Bytes} false keeps
   * UTF-8 pages on the decoding path of other charsets (for tests that compare the two).
   */
  JsonRecordReader(JsonFactory factory, PageText text, boolean nestedValues, boolean utf8Bytes) {
    this.nestedValues = nestedValues;
    this.factory =
        factory
            .copy()
            .setStreamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(text.maxFieldChars()).build());
    this.text = text;
    // Nested values are bounded by the parser's char offsets, which only the char parser has.
    this.utf8Bytes = utf8Bytes && !nestedValues && text.charset().equals(StandardCharsets.UTF_8);
    // Without charset detection Jackson takes the bytes as UTF-8 (a page starting with a NUL is
    // not read as UTF-16); the byte-order mark is the stream's to drop.
    this.byteFactory = this.factory.copy().disable(JsonFactory.Feature.CHARSET_DETECTION);
  }

  /**
   * A parser over a page body, decoded by {@link DecodingReader} whatever the charset: it names the
   * exact offset of a bad byte, where Jackson's own UTF-8 reader names the byte after it.
   */
  JsonParser open(InputStream body) throws IOException {
    return open(decode(body));
  }

  /** A page body's text, as {@link #open(InputStream)} reads it. */
  Reader decode(InputStream body) {
    return new DecodingReader(body, text.charset());
  }

  /** A parser over a page's text, decoded by {@link DecodingReader}. */
  JsonParser open(Reader decoded) throws IOException {
    return factory.createParser(decoded);
  }

  /** Whether pages may be read by {@link #openBytes}: UTF-8, and no nested values. */
  boolean readsUtf8Bytes() {
    return utf8Bytes;
  }

  /**
   * Jackson's byte parser over a UTF-8 page's checked bytes (measured: decoding first was ~20% of
   * an NDJSON page's parse). Its errors are not the reference: it words some differently from the
   * char parser, and reads a non-ASCII character where a token should be as bad UTF-8. A caller
   * that meets any error reads again from the failing record with the char parser ({@link
   * CheckedUtf8Stream#replay}), and rows read by it are handed over by {@link #send}.
   */
  JsonParser openBytes(InputStream checked) throws IOException {
    return byteFactory.createParser(checked);
  }

  /**
   * Whether UTF-8 pages may be read by {@link FlatJsonScanner} first: as {@link #readsUtf8Bytes},
   * unless duplicate keys are errors (the scanner does not look for them).
   */
  boolean scansFlatObjects() {
    return utf8Bytes && !factory.isEnabled(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  /**
   * Reads the object whose {@code START_OBJECT} is the parser's current token into the sink.
   *
   * @param page 1-based page number, for messages
   * @param record 1-based record number in the page, for messages
   * @throws MalformedDataException for a value longer than {@code format.maxFieldSize}
   */
  void read(JsonParser parser, RecordSink sink, int page, long record) throws IOException {
    sink.record(row(parser, sink, page, record));
  }

  /**
   * Reads the object whose {@code START_OBJECT} is the parser's current token as a row. Columns it
   * introduces are announced to {@code announceTo} as they appear, or, if null, left for {@link
   * #send}, and forgotten by {@link #forgetUnsent} if the row is never sent.
   *
   * @throws MalformedDataException for a value longer than {@code format.maxFieldSize}
   */
  Object[] row(JsonParser parser, RecordSink announceTo, int page, long record)
      throws IOException {
    Object[] row = new Object[columns.size()];
    int position = 0;
    while (true) {
      // Records mostly repeat the previous one's key order: Jackson compares the expected
      // column's quoted name with the input in place, without parsing the name or looking it up
      // in its symbol table; only when that misses is the key read and looked up in the map.
      int guess = position < lastOrder.length ? lastOrder[position] : -1;
      Integer index;
      String key;
      if (guess >= 0 && parser.nextFieldName(quotedNames.get(guess))) {
        index = guess;
        key = columns.get(guess);
      } else {
        key = guess >= 0 ? currentName(parser) : parser.nextFieldName();
        if (key == null) {
          break;
        }
        index = indexes.get(key);
      }
      if (index == null) {
        index = columns.size();
        indexes.put(key, index);
        columns.add(key);
        quotedNames.add(new SerializedString(key));
        if (announceTo != null) {
          announceTo.columns(List.copyOf(columns));
          announced = columns.size();
        }
        row = Arrays.copyOf(row, columns.size());
      }
      if (position >= lastOrder.length) {
        lastOrder = Arrays.copyOf(lastOrder, Math.max(16, 2 * position));
        Arrays.fill(lastOrder, position, lastOrder.length, -1);
      }
      lastOrder[position++] = index;
      try {
        parser.nextToken();
        row[index] = value(parser);
      } catch (StreamConstraintsException | ValueTooLong e) {
        throw new MalformedDataException(
            page,
            parser.currentLocation().getLineNr(),
            text.tooLong("record " + record + ", column '" + key + "'"),
            e);
      }
    }
    return row;
  }

  /**
   * Hands a row read by {@link #row} without announcements to the sink: first the column lists
   * that announcing as they appeared would have given, then the row.
   */
  void send(Object[] row, RecordSink sink) {
    while (announced < columns.size()) {
      announced++;
      sink.columns(List.copyOf(columns.subList(0, announced)));
    }
    sink.record(row);
  }

  // For FlatJsonScanner, which reads rows from bytes into the same columns.

  int columnCount() {
    return columns.size();
  }

  /** The column a record's {@code position}-th key had in the previous record; -1 if unknown. */
  int guess(int position) {
    return position < lastOrder.length ? lastOrder[position] : -1;
  }

  /** The UTF-8 bytes of a column's name as JSON text (with escapes, should it need any). */
  byte[] nameBytes(int index) {
    return quotedNames.get(index).asUnquotedUTF8();
  }

  /** The column of {@code key}, added (unannounced, for {@link #send}) if new. */
  int column(String key) {
    Integer index = indexes.get(key);
    if (index == null) {
      index = columns.size();
      indexes.put(key, index);
      columns.add(key);
      quotedNames.add(new SerializedString(key));
    }
    return index;
  }

  /** Notes that a record's {@code position}-th key was column {@code index}. */
  void saw(int position, int index) {
    if (position >= lastOrder.length) {
      lastOrder = Arrays.copyOf(lastOrder, Math.max(16, 2 * position));
      Arrays.fill(lastOrder, position, lastOrder.length, -1);
    }
    lastOrder[position] = index;
  }

  /** The longest string value, in chars. */
  int maxFieldChars() {
    return text.maxFieldChars();
  }

  /** Forgets the columns of a row that will not be sent, as if it had not been read. */
  void forgetUnsent() {
    if (columns.size() > announced) {
      while (columns.size() > announced) {
        indexes.remove(columns.remove(columns.size() - 1));
        quotedNames.remove(quotedNames.size() - 1);
      }
      // The key order guesses are only guesses, but must not name a forgotten column.
      Arrays.fill(lastOrder, -1);
    }
  }

  /** The key the parser stands on, or null at the end of the object. */
  private static String currentName(JsonParser parser) throws IOException {
    return parser.currentToken() == JsonToken.FIELD_NAME ? parser.currentName() : null;
  }

  /**
   * Reads the array whose {@code START_ARRAY} is the parser's current token into the sink, its
   * i-th value as column {@code names[i]}.
   *
   * @throws MalformedDataException for more values than names, or a value longer than {@code
   *     format.maxFieldSize}
   */
  void readArray(JsonParser parser, List<String> names, RecordSink sink, int page, long record)
      throws IOException {
    if (columns.isEmpty()) {
      for (String name : names) {
        indexes.put(name, columns.size());
        columns.add(name);
        quotedNames.add(new SerializedString(name));
      }
      sink.columns(List.copyOf(columns));
      announced = columns.size();
    }
    Object[] row = new Object[columns.size()];
    int i = 0;
    for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
      if (i >= names.size()) {
        throw new MalformedDataException(
            page,
            parser.currentLocation().getLineNr(),
            "record " + record + " has more than the " + names.size() + " values of arrayColumns");
      }
      try {
        row[indexes.get(names.get(i))] = value(parser);
      } catch (StreamConstraintsException | ValueTooLong e) {
        throw new MalformedDataException(
            page,
            parser.currentLocation().getLineNr(),
            text.tooLong("record " + record + ", column '" + names.get(i) + "'"),
            e);
      }
      i++;
    }
    sink.record(row);
  }

  /**
   * The malformed-data failure of a JSON error: where it is (line, byte offset) and what it is.
   */
  MalformedDataException malformed(int page, JsonParser parser, IOException e) {
    if (e instanceof UndecodableBytesException bad) {
      long line = parser == null ? 0 : parser.currentLocation().getLineNr();
      return new MalformedDataException(page, line, bad.getMessage(), e);
    }
    JsonLocation at =
        e instanceof JsonProcessingException j
            ? j.getLocation()
            : null;
    long line = at == null ? 0 : at.getLineNr();
    if (e instanceof StreamConstraintsException) {
      return new MalformedDataException(page, line, text.tooLong("a value"), e);
    }
    String message =
        e instanceof JsonProcessingException j
            ? j.getOriginalMessage()
            : e.getMessage();
    long byteOffset = at == null ? -1 : at.getByteOffset();
    return new MalformedDataException(
        page,
        line,
        "invalid JSON" + (byteOffset >= 0 ? " at byte offset " + byteOffset : "") + ": " + message,
        e);
  }

  private Object value(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case VALUE_STRING -> parser.getText();
      case VALUE_NUMBER_INT ->
          parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? new BigDecimal(parser.getBigIntegerValue())
              : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      case START_OBJECT -> nestedValues ? object(parser, offset(parser)) : jsonText(parser);
      case START_ARRAY -> nestedValues ? array(parser, offset(parser)) : jsonText(parser);
      default -> throw new IllegalStateException("not a value: " + parser.currentToken());
    };
  }

  /**
   * The object at the parser's {@code START_OBJECT}, which starts at character {@code start}. Its
   * depth is bounded by the factory's nesting limit, its text by {@code maxFieldSize}, as JSON text
   * is.
   */
  private Map<String, Object> object(JsonParser parser, long start) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
      parser.nextToken();
      object.put(key, value(parser));
      bound(parser, start);
    }
    return object;
  }

  private List<Object> array(JsonParser parser, long start) throws IOException {
    List<Object> array = new ArrayList<>();
    while (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
      array.add(value(parser));
      bound(parser, start);
    }
    return array;
  }

  private static long offset(JsonParser parser) {
    return parser.currentTokenLocation().getCharOffset();
  }

  private void bound(JsonParser parser, long start) throws ValueTooLong {
    if (offset(parser) - start > text.maxFieldChars()) {
      throw new ValueTooLong();
    }
  }

  private String jsonText(JsonParser parser) throws IOException {
    BoundedWriter out = new BoundedWriter(text.maxFieldChars());
    try (JsonGenerator generator = factory.createGenerator(out)) {
      generator.copyCurrentStructure(parser);
    }
    return out.toString();
  }

  /** A nested object or array longer than the limit. */
  private static final class ValueTooLong extends IOException {
    ValueTooLong() {
      super("value longer than format.maxFieldSize");
    }
  }

  /** Collects JSON text up to a limit, then refuses: nested values are bounded like strings. */
  private static final class BoundedWriter extends Writer {
    private final StringBuilder text = new StringBuilder();
    private final int limit;

    BoundedWriter(int limit) {
      this.limit = limit;
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      if (text.length() + length > limit) {
        throw new ValueTooLong();
      }
      text.append(chars, offset, length);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
