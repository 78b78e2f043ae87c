package dev.sluice.activities.formats;

import dev.sluice.activities.parquet.Utf8Text;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads NDJSON records of the common shape straight from a page's checked UTF-8 bytes, in place in
 * the {@link CheckedUtf8Stream}'s buffer: one flat object at a time, its keys matched as bytes
 * against the known columns, strings (escapes but those of surrogates unescaped here), numbers,
 * {@code true}, {@code false} and {@code null}, any JSON white space between. It takes only what
 * it is sure Jackson reads the same way, to the same values: at anything else (a nested value, a
 * key with escapes, a surrogate's escape, a number of more than 18 digits, a string longer than
 * the limit, any syntax error, bad bytes next) it
 * stops before that record, with the stream's mark after the last record it read, for a parser to
 * go on from there ({@link CheckedUtf8Stream#fromMark}); it may {@link #resume} after that parser's
 * records.
 *
 * <p>For a sink that {@link dev.sluice.activities.parquet.RecordSink#takesUtf8Text takes them}, a
 * record's non-empty string values are {@link Utf8Text}: a copy of the value's checked bytes, or of
 * its UTF-8 with escapes decoded; never a {@code String} decoded only to be encoded again.
 */
final class FlatJsonScanner {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long ONES = 0x0101010101010101L;
  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5c5c5c5c5c5c5c5cL;
  private static final long CONTROL = 0x2020202020202020L;

  /** {@link #scan} results other than a record's end: the page's end, not flat, more bytes. */
  private static final int PAGE_END = -1;

  private static final int NOT_FLAT = -2;
  private static final int NEED = -3;

  /** Jackson's default name limit is 50,000 chars; longer keys are left to it. */
  private static final int LONGEST_KEY = 1000;

  /** Floats longer than this are left to Jackson (its limit is 1,000 chars). */
  private static final int LONGEST_FLOAT = 100;

  private final CheckedUtf8Stream bytes;
  private final JsonRecordReader records;
  private final int maxChars;

  /** Whether non-empty string values are {@link Utf8Text} (else String). */
  private final boolean utf8Text;

  /** The page offset after the last record read (where the next is looked for), and its line. */
  private long markAt;

  private int markLine = 1;
  private long markLineStart;

  /** The stream's buffer while scanning, its checked end and the page offset of index 0. */
  private byte[] b;

  private int limit;
  private long base;

  /** The line and the page offset of its start, while scanning. */
  private int line;

  private long lineStart;
  private boolean afterCr;

  /** No more bytes will come: the page ended, or bad bytes come next. */
  private boolean endOfInput;

  private boolean badBytesNext;

  private boolean atEnd;
  private Object[] row;

  /** Whether the last string scanned has escapes. */
  private boolean escaped;

  /** Where strings with escapes are unescaped, as UTF-8. */
  private byte[] unescaped = new byte[256];

  /**
   * @param utf8Text whether a record's non-empty string values are {@link Utf8Text} (for a sink
   *     that takes them), else String
   */
  FlatJsonScanner(CheckedUtf8Stream bytes, JsonRecordReader records, boolean utf8Text) {
    this.bytes = bytes;
    this.records = records;
    this.maxChars = records.maxFieldChars();
    this.utf8Text = utf8Text;
  }

  /**
   * The next record's row (new columns not yet announced: for {@link JsonRecordReader#send}); null
   * at the page's end ({@link #atEnd}) or before a record this scanner does not read.
   *
   * @throws IOException when reading the page fails (not for bad bytes: those stop the scan)
   */
  Object[] next() throws IOException {
    if (b == null) {
      more();
      markAt = bytes.base() + bytes.position(); // after a byte-order mark
      markLineStart = markAt;
    }
    while (true) {
      int end = scan((int) (markAt - base));
      if (end >= 0) {
        markAt = base + end;
        markLine = line;
        markLineStart = lineStart;
        bytes.mark(markAt - bytes.bom(), line, (int) (markAt - lineStart + 1));
        return row;
      }
      records.forgetUnsent();
      if (end == PAGE_END) {
        atEnd = true;
        return null;
      }
      if (end == NOT_FLAT) {
        return null;
      }
      more(); // NEED; at the page's end the scan says PAGE_END or NOT_FLAT
    }
  }

  /**
   * Goes on from the stream's mark, where a parser that read the records this scanner did not
   * left it.
   */
  void resume() {
    markAt = bytes.markOffset();
    markLine = bytes.markLine();
    markLineStart = markAt - (bytes.markColumn() - 1);
    b = bytes.buffer();
    limit = bytes.checked();
    base = bytes.base();
  }

  /** Whether the page ended: every record was read. */
  boolean atEnd() {
    return atEnd;
  }

  /** Reads more bytes into the stream's buffer; false at the end of the page or at bad bytes. */
  private void more() throws IOException {
    boolean more;
    try {
      more = bytes.more();
    } catch (UndecodableBytesException e) {
      more = false; // the parser going on from the mark meets them and says so
      badBytesNext = true;
    }
    b = bytes.buffer();
    limit = bytes.checked();
    base = bytes.base();
    endOfInput = !more;
  }

  /**
   * Scans a record from {@code p} (after the previous one) into {@link #row}.
   *
   * @return the index after its closing brace, or {@link #PAGE_END}, {@link #NOT_FLAT}, {@link
   *     #NEED}
   */
  private int scan(int p) {
    line = markLine;
    lineStart = markLineStart;
    afterCr = false;
    p = whiteSpace(p);
    if (p == limit) {
      return !endOfInput ? NEED : badBytesNext ? NOT_FLAT : PAGE_END;
    }
    if (b[p] != '{') {
      return NOT_FLAT;
    }
    row = new Object[records.columnCount()];
    p = whiteSpace(p + 1);
    if (p == limit) {
      return need();
    }
    if (b[p] == '}') {
      return p + 1;
    }
    for (int position = 0; ; position++) {
      if (b[p] != '"') {
        return NOT_FLAT;
      }
      int keyStart = p + 1;
      int index = records.guess(position);
      int keyEnd = index >= 0 ? matchName(records.nameBytes(index), keyStart) : -1;
      if (keyEnd >= 0) {
        p = keyEnd;
      } else {
        p = stringEnd(keyStart);
        if (p < 0) {
          return p;
        }
        if (p - keyStart > LONGEST_KEY || escaped) {
          return NOT_FLAT; // a key with escapes is rare: Jackson reads it
        }
        index = records.column(new String(b, keyStart, p - keyStart, StandardCharsets.UTF_8));
      }
      p = whiteSpace(p + 1);
      if (p == limit) {
        return need();
      }
      if (b[p] != ':') {
        return NOT_FLAT;
      }
      p = whiteSpace(p + 1);
      if (p == limit) {
        return need();
      }
      if (index >= row.length) {
        row = Arrays.copyOf(row, records.columnCount());
      }
      p = value(p, index);
      if (p < 0) {
        return p;
      }
      records.saw(position, index);
      p = whiteSpace(p);
      if (p == limit) {
        return need();
      }
      if (b[p] == '}') {
        return p + 1;
      }
      if (b[p] != ',') {
        return NOT_FLAT;
      }
      p = whiteSpace(p + 1);
      if (p == limit) {
        return need();
      }
    }
  }

  /** Bytes cut off mid-record: more may come, or, at the page's end, it is Jackson's to report. */
  private int need() {
    return endOfInput ? NOT_FLAT : NEED;
  }

  /** Skips JSON white space, counting lines as Jackson does ({@code \r\n} is one line end). */
  private int whiteSpace(int p) {
    while (p < limit) {
      byte c = b[p];
      if (c == ' ' || c == '\t') {
        afterCr = false;
      } else if (c == '\n') {
        if (!afterCr) {
          line++;
        }
        lineStart = base + p + 1;
        afterCr = false;
      } else if (c == '\r') {
        line++;
        lineStart = base + p + 1;
        afterCr = true;
      } else {
        afterCr = false;
        return p;
      }
      p++;
    }
    return p;
  }

  /**
   * The index of the closing quote of a string starting at {@code p}, or NOT_FLAT or NEED; notes
   * in {@link #escaped} whether it has escapes (all well-formed: anything else is NOT_FLAT).
   */
  private int stringEnd(int p) {
    escaped = false;
    // 8 bytes at a time while none is a quote, a backslash or a control character.
    while (p + 8 <= limit) {
      long x = (long) LONGS.get(b, p);
      long special =
          zeroByte(x ^ QUOTES) | zeroByte(x ^ BACKSLASHES) | ((x - CONTROL) & ~x & HIGH_BITS);
      if (special != 0) {
        break;
      }
      p += 8;
    }
    while (p < limit) {
      byte c = b[p];
      if (c == '"') {
        return p;
      }
      if (c == '\\') {
        escaped = true;
        if (p + 1 == limit) {
          return need();
        }
        byte e = b[p + 1];
        if (e == 'u') {
          if (p + 6 > limit) {
            return need();
          }
          for (int i = p + 2; i < p + 6; i++) {
            if (Character.digit(b[i], 16) < 0) {
              return NOT_FLAT;
            }
          }
          p += 6;
          continue;
        }
        if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r'
            && e != 't') {
          return NOT_FLAT;
        }
        p += 2;
        continue;
      }
      if (c >= 0 && c < 0x20) {
        return NOT_FLAT; // a control character: an error
      }
      p++;
    }
    return need();
  }

  /**
   * Unescapes the string with escapes in {@code b[from, to)} into {@link #unescaped}, as UTF-8 of
   * the text Jackson reads; its length, or -1 for a {@code \\u} escape of a surrogate (left to
   * Jackson, which pairs them).
   */
  private int unescape(int from, int to) {
    if (unescaped.length < to - from) {
      unescaped = new byte[Math.max(2 * unescaped.length, to - from)];
    }
    int n = 0;
    for (int p = from; p < to; p++) {
      byte c = b[p];
      if (c != '\\') {
        unescaped[n++] = c;
        continue;
      }
      byte e = b[++p];
      switch (e) {
        case 'b' -> unescaped[n++] = '\b';
        case 'f' -> unescaped[n++] = '\f';
        case 'n' -> unescaped[n++] = '\n';
        case 'r' -> unescaped[n++] = '\r';
        case 't' -> unescaped[n++] = '\t';
        case 'u' -> {
          int code = 0;
          for (int i = p + 1; i < p + 5; i++) {
            code = 16 * code + Character.digit(b[i], 16);
          }
          p += 4;
          if (code >= 0xd800 && code <= 0xdfff) {
            return -1;
          }
          // UTF-8 of a BMP code point: at most 3 bytes, no more than the 6 of the escape.
          if (code < 0x80) {
            unescaped[n++] = (byte) code;
          } else if (code < 0x800) {
            unescaped[n++] = (byte) (0xc0 | code >> 6);
            unescaped[n++] = (byte) (0x80 | (code & 0x3f));
          } else {
            unescaped[n++] = (byte) (0xe0 | code >> 12);
            unescaped[n++] = (byte) (0x80 | (code >> 6 & 0x3f));
            unescaped[n++] = (byte) (0x80 | (code & 0x3f));
          }
        }
        default -> unescaped[n++] = e; // " \ /
      }
    }
    return n;
  }

  /** The string value {@code buf[from, to)} (well-formed UTF-8): Utf8Text or String. */
  private Object text(byte[] buf, int from, int to) {
    if (to == from) {
      return ""; // empty text is the String "", for a sink's checks for empty values
    }
    return utf8Text
        ? Utf8Text.copyOf(buf, from, to)
        : new String(buf, from, to - from, StandardCharsets.UTF_8);
  }

  /**
   * The index of the closing quote if the key from {@code from} is {@code name} (as JSON text);
   * -1 if not, or if the buffer ends first. Records mostly repeat the previous one's key order.
   */
  private int matchName(byte[] name, int from) {
    int end = from + name.length;
    if (end >= limit || b[end] != '"') {
      return -1;
    }
    for (int i = 0; i < name.length; i++) {
      if (b[from + i] != name[i]) {
        return -1;
      }
    }
    return end;
  }

  /** Reads the value at {@code p} into {@code row[index]}; the index after it, or a result. */
  private int value(int p, int index) {
    byte c = b[p];
    switch (c) {
      case '"':
        {
          int end = stringEnd(p + 1);
          if (end < 0) {
            return end;
          }
          if (end - p - 1 > maxChars) {
            return NOT_FLAT; // maybe too long: Jackson counts the chars
          }
          if (!escaped) {
            row[index] = text(b, p + 1, end);
          } else {
            int n = unescape(p + 1, end);
            if (n < 0) {
              return NOT_FLAT;
            }
            row[index] = text(unescaped, 0, n);
          }
          return end + 1;
        }
      case 't':
        return literal(p, "true", Boolean.TRUE, index);
      case 'f':
        return literal(p, "false", Boolean.FALSE, index);
      case 'n':
        return literal(p, "null", null, index);
      default:
        return c == '-' || (c >= '0' && c <= '9') ? number(p, index) : NOT_FLAT;
    }
  }

  private int literal(int p, String word, Object value, int index) {
    int end = p + word.length();
    if (end >= limit) {
      return need(); // the literal and the byte after it
    }
    for (int i = 1; i < word.length(); i++) {
      if (b[p + i] != word.charAt(i)) {
        return NOT_FLAT;
      }
    }
    if (!endsValue(b[end])) {
      return NOT_FLAT;
    }
    row[index] = value;
    return end;
  }

  /** White space, or what may follow a value in an object. */
  private static boolean endsValue(byte c) {
    return c == ',' || c == '}' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  /**
   * A number by JSON's grammar: a {@code Long} of up to 18 digits, a {@code Double} (parsed from
   * the same text as Jackson's {@code getDoubleValue}) when it has a fraction or an exponent.
   */
  private int number(int start, int index) {
    int p = start;
    if (b[p] == '-') {
      p++;
    }
    if (p == limit) {
      return need();
    }
    int digitsFrom = p;
    long value = 0;
    if (b[p] == '0') {
      p++;
    } else if (b[p] >= '1' && b[p] <= '9') {
      while (p < limit && b[p] >= '0' && b[p] <= '9') {
        value = 10 * value + (b[p] - '0');
        p++;
      }
    } else {
      return NOT_FLAT;
    }
    int digits = p - digitsFrom;
    boolean integer = true;
    if (p < limit && b[p] == '.') {
      integer = false;
      p = digits(p + 1);
      if (p < 0) {
        return p;
      }
    }
    if (p < limit && (b[p] == 'e' || b[p] == 'E')) {
      integer = false;
      p++;
      if (p < limit && (b[p] == '+' || b[p] == '-')) {
        p++;
      }
      p = digits(p);
      if (p < 0) {
        return p;
      }
    }
    if (p == limit) {
      return need();
    }
    if (!endsValue(b[p])) {
      return NOT_FLAT; // a leading zero's next digit, a letter, a second sign...
    }
    if (integer) {
      if (digits > 18) {
        return NOT_FLAT; // maybe beyond a long: Jackson's BigDecimal
      }
      row[index] = b[start] == '-' ? -value : value;
    } else {
      if (p - start > LONGEST_FLOAT) {
        return NOT_FLAT;
      }
      row[index] = Double.parseDouble(new String(b, start, p - start, StandardCharsets.ISO_8859_1));
    }
    return p;
  }

  /** Non-zero if a byte of {@code x} is zero (exactly: whether, not where). */
  private static long zeroByte(long x) {
    return (x - ONES) & ~x & HIGH_BITS;
  }

  /** Skips one digit or more from {@code p}; NOT_FLAT or NEED if there is none. */
  private int digits(int p) {
    if (p == limit) {
      return need();
    }
    if (b[p] < '0' || b[p] > '9') {
      return NOT_FLAT;
    }
    while (p < limit && b[p] >= '0' && b[p] <= '9') {
      p++;
    }
    return p;
  }
}
