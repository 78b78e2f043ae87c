package dev.sluice.activities.formats;

import dev.sluice.activities.parquet.RecordSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RFC 4180 CSV pages: configurable delimiter and quote, quoted fields with embedded delimiters,
 * doubled quotes and line breaks, CRLF or LF line endings, UTF-8 by default (a leading BOM is
 * skipped), decoded strictly: a byte that is not valid in the charset makes the page malformed,
 * naming its line and byte offset.
 *
 * <p>Hand-written rather than a library because Sluice distinguishes an empty <em>unquoted</em>
 * field (null: the provider has no value) from a quoted empty field {@code ""} (the empty string),
 * which general CSV readers fold together, and because it streams at a few hundred MB/s with one
 * reused char buffer, no regular expressions and one {@code String} per field.
 *
 * <p>With a header, every page starts with it (Salesforce repeats it on each results page): a page
 * after the first without one (an empty body) is malformed (an empty first page is an empty
 * result), as is one whose header differs from the first
 * page's, or (unless {@link Builder#allowMissingColumns}) lacks a declared column. Without one,
 * columns are named {@code _c0}, {@code _c1}… after the first record's width. Blank lines are
 * skipped; a record longer than the header is malformed, and so is a shorter one unless {@link
 * Builder#allowShortRecords} (then its last columns are null). A value longer than {@link
 * PageText#maxFieldChars} is malformed as soon as it passes the limit, so memory stays bounded.
 */
public final class CsvPageParser implements PageParser {
  private static final int EOF = -1;
  private static final int BUFFER_CHARS = 1 << 16;
  private static final char BOM = '\uFEFF';

  /** Header names printed in a message, at most: an HTML page's "header" can be long. */
  private static final int NAMES_SHOWN = 10;

  private final char delimiter;
  private final char quote;
  private final boolean header;
  private final PageText pageText;
  private final List<String> declaredColumns;
  private final boolean allowMissingColumns;
  private final boolean allowShortRecords;
  private List<String> columns;

  /**
   * A strict parser with the given layout: UTF-8, no declared columns, no short records, values
   * up to the default {@code format.maxFieldSize}.
   *
   * @param delimiter field separator, e.g. {@code ,}
   * @param quote quote character, e.g. {@code "}
   * @param header whether each page starts with a header row
   * @throws IllegalArgumentException when delimiter and quote are the same or a line break
   */
  public CsvPageParser(char delimiter, char quote, boolean header) {
    this(builder().delimiter(delimiter).quote(quote).header(header));
  }

  private CsvPageParser(Builder b) {
    if (b.delimiter == b.quote || isLineBreak(b.delimiter) || isLineBreak(b.quote)) {
      throw new IllegalArgumentException(
          "CSV delimiter and quote must differ from each other and from line breaks");
    }
    this.delimiter = b.delimiter;
    this.quote = b.quote;
    this.header = b.header;
    this.pageText = b.text;
    this.declaredColumns = b.declaredColumns;
    this.allowMissingColumns = b.allowMissingColumns;
    this.allowShortRecords = b.allowShortRecords;
  }

  /** A builder with the defaults of {@link #CsvPageParser(char, char, boolean)} and a header. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Parses a page in the parser's charset; see {@link #parse(Reader, int, RecordSink)}.
   *
   * @throws MalformedDataException also for bytes that are not valid in the charset, naming their
   *     line and byte offset
   */
  @Override
  public PageSummary parse(InputStream body, int page, RecordSink sink) throws IOException {
    return parse(new DecodingReader(body, pageText.charset()), page, sink);
  }

  @Override
  public void checkMediaType(int page, String where, String contentType) {
    MediaTypes.require(MediaTypes.Format.CSV, page, where, contentType);
  }

  /**
   * Parses one page of text.
   *
   * @throws MalformedDataException for an unterminated quote, a quote inside an unquoted field,
   *     text after a closing quote, a record longer than the header (or shorter, unless short
   *     records are allowed), a value longer than the field limit, a header that differs from the
   *     first page's or lacks a declared column, or an empty page where a header is expected
   * @throws IOException when reading fails
   */
  public PageSummary parse(Reader text, int page, RecordSink sink) throws IOException {
    Tokenizer in = new Tokenizer(text, page);
    int width = in.nextRecord();
    if (width == EOF) {
      // An empty first page is an empty result (some providers answer zero rows with no body at
      // all); an empty later page is a page that was not sent, and publishing without it would
      // lose its rows.
      if (header && page > 1) {
        throw new MalformedDataException(
            page,
            1,
            "the page is empty, but format.header says every page starts with a header row;"
                + " a provider that answers an empty body has not sent the page");
      }
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
      requireDeclaredColumns(names, page, in.recordLine);
      announce(List.copyOf(names), sink);
    } else if (!columns.equals(names)) {
      throw new MalformedDataException(
          page,
          in.recordLine,
          "header " + shown(names) + " differs from the first page's " + shown(columns));
    }
  }

  /** The first header must name every declared column (later ones equal the first). */
  private void requireDeclaredColumns(List<String> names, int page, long line) {
    if (allowMissingColumns || declaredColumns.isEmpty()) {
      return;
    }
    List<String> missing = new ArrayList<>();
    Set<String> present = new HashSet<>(names);
    for (String declared : declaredColumns) {
      if (!present.contains(declared)) {
        missing.add(declared);
      }
    }
    if (!missing.isEmpty()) {
      throw new MalformedDataException(
          page,
          line,
          "the header row "
              + shown(names)
              + " lacks the declared column"
              + (missing.size() == 1 ? " " : "s ")
              + shown(missing)
              + " (sink.columns); set format.allowMissingColumns: true if pages may omit them");
    }
  }

  private static String shown(List<String> names) {
    if (names.size() <= NAMES_SHOWN) {
      return names.toString();
    }
    return names.subList(0, NAMES_SHOWN).toString().replaceFirst("]$", "")
        + ", … "
        + (names.size() - NAMES_SHOWN)
        + " more]";
  }

  private void announce(List<String> names, RecordSink sink) {
    columns = names;
    sink.columns(names);
  }

  private void emit(Tokenizer in, int page, RecordSink sink) {
    int width = columns.size();
    if (in.count > width) {
      throw new MalformedDataException(
          page,
          in.recordLine,
          "record " + in.record + " has " + in.count + " fields, the " + widthSource() + width);
    }
    if (in.count < width && !allowShortRecords) {
      throw new MalformedDataException(
          page,
          in.recordLine,
          "record "
              + in.record
              + " has "
              + in.count
              + " fields, the "
              + widthSource()
              + width
              + " (a truncated page looks like this); set format.allowShortRecords: true to read"
              + " the missing fields as null");
    }
    Object[] row = new Object[width];
    System.arraycopy(in.fields, 0, row, 0, in.count);
    sink.record(row);
  }

  private String widthSource() {
    return header ? "header " : "first record ";
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

    /** 1-based number of the current data record in the page (a header row is record 0). */
    long record;

    /** Records (header included) started in this page. */
    private long records;

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
      records++;
      record = header ? records - 1 : records;
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

    private void add(Object value) {
      if (count == fields.length) {
        fields = Arrays.copyOf(fields, count * 2);
      }
      fields[count++] = value;
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

    private void requireFits(int chars) {
      if (chars > pageText.maxFieldChars()) {
        throw new MalformedDataException(
            page,
            recordLine,
            pageText.tooLong(
                (record == 0 && header ? "the header row" : "record " + record)
                    + ", "
                    + columnName()));
      }
    }

    private String columnName() {
      if (columns != null && count < columns.size()) {
        return "column '" + columns.get(count) + "'";
      }
      return "column " + (count + 1);
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

  /** Builds a {@link CsvPageParser}; every option has a strict default. */
  public static final class Builder {
    private char delimiter = ',';
    private char quote = '"';
    private boolean header = true;
    private PageText text = PageText.DEFAULTS;
    private List<String> declaredColumns = List.of();
    private boolean allowMissingColumns;
    private boolean allowShortRecords;

    private Builder() {}

    /** Field separator (default {@code ,}). */
    public Builder delimiter(char value) {
      delimiter = value;
      return this;
    }

    /** Quote character (default {@code "}). */
    public Builder quote(char value) {
      quote = value;
      return this;
    }

    /** Whether each page starts with a header row (default true). */
    public Builder header(boolean value) {
      header = value;
      return this;
    }

    /** The charset and the longest value (default {@link PageText#DEFAULTS}). */
    public Builder text(PageText value) {
      text = value;
      return this;
    }

    /** Columns the header row must name (default none): the sink's declared columns. */
    public Builder declaredColumns(List<String> names) {
      declaredColumns = List.copyOf(names);
      return this;
    }

    /** Whether a header row may lack declared columns (default false). */
    public Builder allowMissingColumns(boolean value) {
      allowMissingColumns = value;
      return this;
    }

    /** Whether a record shorter than the header is read with nulls (default false: malformed). */
    public Builder allowShortRecords(boolean value) {
      allowShortRecords = value;
      return this;
    }

    /**
     * The parser.
     *
     * @throws IllegalArgumentException when delimiter and quote are the same or a line break
     */
    public CsvPageParser build() {
      return new CsvPageParser(this);
    }
  }
}
