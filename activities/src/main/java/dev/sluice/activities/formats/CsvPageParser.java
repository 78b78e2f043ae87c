package dev.sluice.activities.formats;

import dev.sluice.activities.parquet.RecordSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * RFC 4180 CSV pages: configurable delimiter and quote, quoted fields with embedded delimiters,
 * doubled quotes and line breaks, CRLF or LF line endings, UTF-8 (a leading BOM is skipped).
 *
 * <p>Hand-written rather than a library because Sluice distinguishes an empty <em>unquoted</em>
 * field (null: the provider has no value) from a quoted empty field {@code ""} (the empty string),
 * which general CSV readers fold together, and because it streams at a few hundred MB/s with one
 * reused char buffer, no regular expressions and one {@code String} per field.
 *
 * <p>With a header, every page starts with it (Salesforce repeats it on each results page); a page
 * whose header differs from the first page's is malformed. Without one, columns are named {@code
 * _c0}, {@code _c1}… after the first record's width. Blank lines are skipped; a record shorter than
 * the header leaves its last columns null; a longer one is malformed.
 */
public final class CsvPageParser implements PageParser {
  private static final int EOF = -1;
  private static final int BUFFER_CHARS = 1 << 16;
  private static final char BOM = '\uFEFF';

  private final char delimiter;
  private final char quote;
  private final boolean header;
  private List<String> columns;

  /**
   * @param delimiter field separator, e.g. {@code ,}
   * @param quote quote character, e.g. {@code "}
   * @param header whether each page starts with a header row
   * @throws IllegalArgumentException when delimiter and quote are the same or a line break
   */
  public CsvPageParser(char delimiter, char quote, boolean header) {
    if (delimiter == quote || isLineBreak(delimiter) || isLineBreak(quote)) {
      throw new IllegalArgumentException(
          "CSV delimiter and quote must differ from each other and from line breaks");
    }
    this.delimiter = delimiter;
    this.quote = quote;
    this.header = header;
  }

  /** Parses a UTF-8 page; see {@link #parse(Reader, int, RecordSink)}. */
  @Override
  public PageSummary parse(InputStream body, int page, RecordSink sink) throws IOException {
    return parse(new InputStreamReader(body, StandardCharsets.UTF_8), page, sink);
  }

  /**
   * Parses one page of text.
   *
   * @throws MalformedDataException for an unterminated quote, a quote inside an unquoted field,
   *     text after a closing quote, a record longer than the header, or a header that differs from
   *     the first page's
   * @throws IOException when reading fails
   */
  public PageSummary parse(Reader text, int page, RecordSink sink) throws IOException {
    Tokenizer in = new Tokenizer(text, page);
    int width = in.nextRecord();
    if (width == EOF) {
      return new PageSummary(0, Map.of());
    }
    long records = 0;
    if (header) {
      acceptHeader(in, width, page, sink);
    } else {
      if (columns == null) {
        announce(generatedNames(width), sink);
      }
      emit(in, page, sink);
      records++;
    }
    while (in.nextRecord() != EOF) {
      emit(in, page, sink);
      records++;
    }
    return new PageSummary(records, Map.of());
  }

  private void acceptHeader(Tokenizer in, int width, int page, RecordSink sink) {
    List<String> names = new ArrayList<>(width);
    for (int i = 0; i < width; i++) {
      Object name = in.fields[i];
      if (name == null) {
        throw new MalformedDataException(
            page, in.recordLine, "header column " + (i + 1) + " is empty");
      }
      names.add((String) name);
    }
    if (columns == null) {
      announce(List.copyOf(names), sink);
    } else if (!columns.equals(names)) {
      throw new MalformedDataException(
          page, in.recordLine, "header " + names + " differs from the first page's " + columns);
    }
  }

  private void announce(List<String> names, RecordSink sink) {
    columns = names;
    sink.columns(names);
  }

  private void emit(Tokenizer in, int page, RecordSink sink) {
    int width = columns.size();
    if (in.count > width) {
      throw new MalformedDataException(
          page, in.recordLine, "record has " + in.count + " fields, the header " + width);
    }
    Object[] row = new Object[width];
    System.arraycopy(in.fields, 0, row, 0, in.count);
    sink.record(row);
  }

  private static List<String> generatedNames(int width) {
    List<String> names = new ArrayList<>(width);
    for (int i = 0; i < width; i++) {
      names.add("_c" + i);
    }
    return List.copyOf(names);
  }

  private static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r';
  }

  /** Splits one page into records; {@link #fields} holds the current record's values. */
  private final class Tokenizer {
    private final Reader reader;
    private final int page;
    private final char[] buf = new char[BUFFER_CHARS];
    private int pos;
    private int limit;
    private char[] field = new char[256];
    private int length;

    /** Current 1-based line, and the line the current record started on. */
    private long line = 1;

    private long recordLine = 1;
    Object[] fields = new Object[16];
    int count;

    Tokenizer(Reader reader, int page) throws IOException {
      this.reader = reader;
      this.page = page;
      if (fill() && buf[0] == BOM) {
        pos = 1;
      }
    }

    /** Reads the next non-blank record; returns its field count, or {@link #EOF}. */
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
      recordLine = line;
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

    private void add(Object value) {
      if (count == fields.length) {
        fields = Arrays.copyOf(fields, count * 2);
      }
      fields[count++] = value;
    }

    private void append(char c) {
      if (length == field.length) {
        field = Arrays.copyOf(field, length * 2);
      }
      field[length++] = c;
    }

    private void append(char[] chars, int from, int n) {
      if (length + n > field.length) {
        field = Arrays.copyOf(field, Math.max(field.length * 2, length + n));
      }
      System.arraycopy(chars, from, field, length, n);
      length += n;
    }

    private int read() throws IOException {
      if (pos == limit && !fill()) {
        return EOF;
      }
      return buf[pos++];
    }

    private boolean fill() throws IOException {
      int n = reader.read(buf, 0, buf.length);
      while (n == 0) {
        n = reader.read(buf, 0, buf.length);
      }
      pos = 0;
      limit = Math.max(n, 0);
      return n > 0;
    }
  }
}
