package dev.sluice.activities.formats;

import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * The {@link CsvTokenizer} over decoded text: any charset, any delimiter and quote. The
 * per-character loop.
 */
final class CharCsvTokenizer extends CsvTokenizer {
  private static final int BUFFER_CHARS = 1 << 16;
  private static final char BOM = '\uFEFF';

  private final Reader reader;
  private final char delimiter;
  private final char quote;
  private final char[] buf = new char[BUFFER_CHARS];
  private int pos;
  private int limit;
  private char[] field;
  private int length;

  CharCsvTokenizer(Reader reader, int page, CsvPageParser parser) throws IOException {
    super(page, parser);
    this.reader = reader;
    this.delimiter = parser.delimiter();
    this.quote = parser.quote();
    // Never more than the limit: grow() checks it only when the buffer is full.
    this.field = new char[Math.min(256, pageText.maxFieldChars())];
    if (fill() && buf[0] == BOM) {
      pos = 1;
    }
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

  /** Reads an unquoted field starting with {@code c}; returns the character that ended it. */
  private int unquotedField(int c) throws IOException {
    length = 0;
    // Fast path: the whole field is in the buffer, so the String is made straight from it.
    int start = pos - 1;
    if (c != EOF && start >= 0) {
      while (c != delimiter && c != '\n' && c != '\r' && c != quote && pos < limit) {
        c = buf[pos++];
      }
      if (c == delimiter || c == '\n' || c == '\r') {
        int end = pos - 1;
        requireFits(end - start);
        add(end == start ? null : new String(buf, start, end - start));
        return c;
      }
      if (c != quote) {
        // Buffer exhausted mid-field: keep what we have and continue on the slow path.
        append(buf, start, pos - start);
        c = read();
      }
    }
    while (c != delimiter && c != '\n' && c != '\r' && c != EOF) {
      if (c == quote) {
        throw new MalformedDataException(page, line, "quote inside an unquoted field");
      }
      append((char) c);
      c = read();
    }
    add(length == 0 ? null : new String(field, 0, length));
    return c;
  }

  /** Reads a quoted field (its opening quote consumed); returns the character after it. */
  private int quotedField() throws IOException {
    length = 0;
    long openedOn = line;
    while (true) {
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
          add(new String(field, 0, length));
          return c;
        }
      } else if (c == '\n') {
        line++;
      }
      append((char) c);
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

  private void append(char c) {
    if (length == field.length) {
      grow(length + 1);
    }
    field[length++] = c;
  }

  private void append(char[] chars, int from, int n) {
    if (length + n > field.length) {
      grow(length + n);
    }
    System.arraycopy(chars, from, field, length, n);
    length += n;
  }

  /** Doubles the field buffer, never past the limit: a huge value fails before it is held. */
  private void grow(int needed) {
    requireFits(needed);
    long doubled = Math.max(2L * field.length, needed);
    field = Arrays.copyOf(field, (int) Math.min(doubled, pageText.maxFieldChars()));
  }

  private int read() throws IOException {
    if (pos == limit && !fill()) {
      return EOF;
    }
    return buf[pos++];
  }

  private boolean fill() throws IOException {
    int n;
    try {
      n = reader.read(buf, 0, buf.length);
      while (n == 0) {
        n = reader.read(buf, 0, buf.length);
      }
    } catch (UndecodableBytesException e) {
      // Every character before the bad bytes has been read: the current line is theirs.
      throw new MalformedDataException(page, line, e.getMessage(), e);
    }
    pos = 0;
    limit = Math.max(n, 0);
    return n > 0;
  }
}
