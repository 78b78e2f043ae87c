package dev.sluice.activities.formats;

import dev.sluice.activities.parquet.Utf8Text;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The {@link CsvTokenizer} over a UTF-8 page's bytes, for an ASCII delimiter and quote: no
 * decoding to chars, and each value's {@code String} is made straight from the bytes (for ASCII a
 * copy). Measured: decoding the page to chars was a fifth of the CSV parser thread. For a sink that
 * {@link dev.sluice.activities.parquet.RecordSink#takesUtf8Text takes them}, a data record's
 * non-empty values are {@link Utf8Text}, copies of the validated bytes, not decoded at all.
 *
 * <p>Bytes are validated as {@link DecodingReader} decodes them, before the loop sees them: the
 * loop reads only up to the end of the well-formed text ({@code limit}), so it has read every
 * character before bad bytes when it meets them, and reports them on the same line, with the same
 * offset and message (the JDK's strict decoder decides, as it does there). Every byte of a
 * multi-byte sequence is 0x80 or above, so it never matches the ASCII delimiter, quote or line
 * breaks. Two leading byte-order marks are skipped, as the reader and {@link CharCsvTokenizer}
 * skip one each.
 */
final class Utf8CsvTokenizer extends CsvTokenizer {
  private static final int BUFFER_BYTES = 1 << 16;

  /** The longest well-formed sequence: fewer undecided bytes than this may be a truncated one. */
  private static final int MAX_SEQUENCE = 4;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long LFS = ONES * '\n';
  private static final long CRS = ONES * '\r';

  private final InputStream in;

  /** Whether data values are handed over as {@link Utf8Text}. */
  private final boolean utf8Text;

  private final byte delimiter;
  private final byte quote;

  /** The delimiter and the quote in every byte of a long. */
  private final long delimiters;

  private final long quotes;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);

  private final byte[] buf = new byte[BUFFER_BYTES];
  private int pos;

  /** End of the validated bytes: the loop reads {@code buf[pos, limit)}. */
  private int limit;

  /** End of the bytes read: {@code buf[limit, read)} are not validated yet. */
  private int read;

  /** Bytes of the page before {@code buf[0]}. */
  private long offset;

  private boolean endOfInput;

  private byte[] field = new byte[256];
  private int length;

  /** Bytes of {@code field} whose characters are counted, and their count. */
  private int counted;

  private long countedChars;

  /** The most bytes a value within the limit takes: three per char at most. */
  private final long maxFieldBytes;

  /**
   * @param utf8Text whether a data record's non-empty values are {@link Utf8Text} (else String)
   */
  Utf8CsvTokenizer(InputStream in, int page, CsvPageParser parser, boolean utf8Text)
      throws IOException {
    super(page, parser);
    this.in = in;
    this.utf8Text = utf8Text;
    this.delimiter = (byte) parser.delimiter();
    this.quote = (byte) parser.quote();
    this.delimiters = ONES * delimiter;
    this.quotes = ONES * quote;
    this.maxFieldBytes = Math.min(3L * pageText.maxFieldChars(), PageText.MAX_ARRAY_CHARS);
    for (int bom = 0; bom < 2 && startsWithBom(); bom++) {
      pos += 3;
    }
  }

  /** Whether the delimiter and quote of {@code parser} are ASCII, which this tokenizer needs. */
  static boolean handles(CsvPageParser parser) {
    return parser.delimiter() < 0x80 && parser.quote() < 0x80;
  }

  private boolean startsWithBom() throws IOException {
    return (pos < limit || fill())
        && buf[pos] == (byte) 0xef
        && pos + 2 < limit
        && buf[pos + 1] == (byte) 0xbb
        && buf[pos + 2] == (byte) 0xbf;
  }

  @Override
  int nextRecord() throws IOException {
    count = 0;
    int c = read();
    while (c == '\n' || c == '\r') {
      endOfLine(c);
      c = read();
    }
    if (c == EOF) {
      return EOF;
    }
    startRecord();
    while (true) {
      c = c == quote ? quotedField() : unquotedField(c);
      if (c != delimiter) {
        endOfLine(c);
        return count;
      }
      c = read();
    }
  }

  /** Reads an unquoted field starting with {@code c}; returns the byte that ended it. */
  private int unquotedField(int c) throws IOException {
    startValue();
    // Fast path: the whole field is in the buffer, so the value is made straight from it.
    int start = pos - 1;
    if (c != EOF && start >= 0) {
      int b = c;
      if (b != delimiter && b != '\n' && b != '\r' && pos < limit) {
        pos = nextSpecial(pos);
        b = buf[pos++];
      }
      if (b == delimiter || b == '\n' || b == '\r') {
        int end = pos - 1;
        if (end - start > pageText.maxFieldChars()) {
          requireFits(Utf8Fast.chars(buf, start, end));
        }
        add(end == start ? null : text(buf, start, end));
        return b;
      }
      if (b != quote) {
        // Buffer exhausted mid-field: keep what we have and continue on the slow path.
        append(buf, start, pos - start);
        b = read();
      }
      c = b;
    }
    while (c != delimiter && c != '\n' && c != '\r' && c != EOF) {
      if (c == quote) {
        throw new MalformedDataException(page, line, "quote inside an unquoted field");
      }
      append((byte) c);
      c = read();
    }
    add(length == 0 ? null : value());
    return c;
  }

  /** Reads a quoted field (its opening quote consumed); returns the byte after it. */
  private int quotedField() throws IOException {
    startValue();
    long openedOn = line;
    while (true) {
      // Fast path: copy the run up to the next quote or line feed in one go.
      int from = pos;
      pos = nextQuoteOrLineFeed(pos);
      if (pos > from) {
        append(buf, from, pos - from);
      }
      int c = read();
      if (c == EOF) {
        throw new MalformedDataException(
            page, openedOn, "quoted field is not closed before the end of the page");
      }
      if (c == quote) {
        c = read();
        if (c != quote) {
          if (c != delimiter && c != '\n' && c != '\r' && c != EOF) {
            throw new MalformedDataException(page, line, "text after a closing quote");
          }
          add(value());
          return c;
        }
      } else if (c == '\n') {
        line++;
      }
      append((byte) c);
    }
  }

  private void startValue() {
    length = 0;
    counted = 0;
    countedChars = 0;
  }

  /**
   * The index of the first delimiter, quote, CR or LF in {@code buf[from, limit)}, or {@code limit
   * - 1} when there is none. Eight bytes at a time: the lowest byte a "has zero byte" mask flags
   * is a true match (false positives lie only above one), and bytes of multi-byte sequences never
   * match an ASCII byte.
   */
  private int nextSpecial(int from) {
    int i = from;
    while (i + Long.BYTES <= limit) {
      long w = (long) LONGS.get(buf, i);
      long found = zeroBytes(w ^ delimiters) | zeroBytes(w ^ quotes) | zeroBytes(w ^ LFS)
          | zeroBytes(w ^ CRS);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
      i += Long.BYTES;
    }
    for (; i < limit; i++) {
      byte b = buf[i];
      if (b == delimiter || b == quote || b == '\n' || b == '\r') {
        return i;
      }
    }
    return limit - 1;
  }

  /** The index of the first quote or LF in {@code buf[from, limit)}, or {@code limit}. */
  private int nextQuoteOrLineFeed(int from) {
    int i = from;
    while (i + Long.BYTES <= limit) {
      long w = (long) LONGS.get(buf, i);
      long found = zeroBytes(w ^ quotes) | zeroBytes(w ^ LFS);
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
      i += Long.BYTES;
    }
    while (i < limit && buf[i] != quote && buf[i] != '\n') {
      i++;
    }
    return i;
  }

  /** The high bit of each zero byte of {@code x} (and maybe of bytes above the lowest one). */
  private static long zeroBytes(long x) {
    return (x - ONES) & ~x & HIGHS;
  }

  /** The value collected in {@code field}. */
  private Object value() {
    return text(field, 0, length);
  }

  /**
   * The value of the validated bytes {@code bytes[from, to)}: {@link Utf8Text} when the sink takes
   * it and this is a data record's non-empty value, else a String (header names, {@code ""}).
   */
  private Object text(byte[] bytes, int from, int to) {
    if (utf8Text && to > from && record > 0) {
      return Utf8Text.copyOf(bytes, from, to);
    }
    return new String(bytes, from, to - from, StandardCharsets.UTF_8);
  }

  /** Refuses the value once its characters pass the limit; counts only past it in bytes. */
  private void checkLength() {
    if (length > pageText.maxFieldChars()) {
      countedChars += Utf8Fast.chars(field, counted, length);
      counted = length;
      requireFits(countedChars);
    }
  }

  /** Finishes the line break {@code c}: the LF of a CRLF is consumed too. */
  private void endOfLine(int c) throws IOException {
    if (c == EOF) {
      return;
    }
    line++;
    if (c == '\r' && (pos < limit || fill()) && buf[pos] == '\n') {
      pos++;
    }
  }

  private void append(byte b) {
    if (length == field.length) {
      grow(length + 1);
    }
    field[length++] = b;
    checkLength();
  }

  private void append(byte[] bytes, int from, int n) {
    if (length + n > field.length) {
      grow((long) length + n);
    }
    System.arraycopy(bytes, from, field, length, n);
    length += n;
    checkLength();
  }

  /**
   * Doubles the field buffer, never past what a value within the limit can take: a huge value
   * fails before it is held.
   */
  private void grow(long needed) {
    if (needed > maxFieldBytes) {
      requireFits(Long.MAX_VALUE); // more bytes than any value within the limit takes
    }
    long doubled = Math.min(2L * field.length, pageText.maxFieldChars());
    field = Arrays.copyOf(field, (int) Math.min(Math.max(doubled, needed), maxFieldBytes));
  }

  /** The next byte (0–255), or {@link #EOF}. */
  private int read() throws IOException {
    if (pos == limit && !fill()) {
      return EOF;
    }
    return buf[pos++] & 0xff;
  }

  /**
   * Makes more validated bytes available after {@code pos} (which is at {@code limit}); false at
   * the end of the page.
   *
   * @throws MalformedDataException for bytes that are not UTF-8, on the current line
   */
  private boolean fill() throws IOException {
    while (true) {
      if (limit < read) {
        int valid = Utf8Fast.validPrefix(buf, limit, read);
        if (valid == 0 && (endOfInput || read - limit >= MAX_SEQUENCE)) {
          valid = decodeOrRefuse();
        }
        if (valid > 0) {
          limit += valid;
          return true;
        }
      } else if (endOfInput) {
        return false;
      }
      readMore();
    }
  }

  /** Moves the undecided bytes to the front and reads after them. */
  private void readMore() throws IOException {
    int keep = read - pos;
    System.arraycopy(buf, pos, buf, 0, keep);
    offset += pos;
    limit -= pos;
    pos = 0;
    read = keep;
    int n = in.read(buf, read, buf.length - read);
    while (n == 0) {
      n = in.read(buf, read, buf.length - read);
    }
    if (n < 0) {
      endOfInput = true;
    } else {
      read += n;
    }
  }

  /**
   * The JDK's strict decoder on the bytes at {@code limit} that {@link Utf8Fast} did not accept:
   * the length of a sequence it decodes, or 0 when it needs more bytes.
   *
   * @throws MalformedDataException for bytes it refuses, as {@link DecodingReader} reports them
   */
  private int decodeOrRefuse() {
    ByteBuffer bytes = ByteBuffer.wrap(buf, limit, read - limit);
    decoder.reset();
    CoderResult result = decoder.decode(bytes, CharBuffer.allocate(2), endOfInput);
    int decoded = bytes.position() - limit;
    if (decoded > 0) {
      return decoded;
    }
    if (!result.isError()) {
      throw new IllegalStateException("the UTF-8 decoder decided nothing on " + MAX_SEQUENCE
          + " bytes or at the end of the page"); // it decides on a whole sequence: never
    }
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < result.length() && limit + i < read; i++) {
      hex.append(i == 0 ? "0x" : " 0x").append(String.format("%02x", buf[limit + i] & 0xff));
    }
    UndecodableBytesException e =
        new UndecodableBytesException(StandardCharsets.UTF_8, offset + limit, hex.toString());
    // Every character before the bad bytes has been read: the current line is theirs.
    throw new MalformedDataException(page, line, e.getMessage(), e);
  }
}
