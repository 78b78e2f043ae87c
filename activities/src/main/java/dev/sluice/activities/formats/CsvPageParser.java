package dev.sluice.activities.formats;

import dev.sluice.activities.parquet.RecordSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
 * reused buffer, no regular expressions and one {@code String} per field. A UTF-8 page (with an
 * ASCII delimiter and quote) is split as bytes, validated but not decoded to chars first, and a
 * sink that {@link RecordSink#takesUtf8Text takes them} receives the values as those bytes.
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
  private static final int EOF = CsvTokenizer.EOF;

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

  char delimiter() {
    return delimiter;
  }

  char quote() {
    return quote;
  }

  boolean header() {
    return header;
  }

  PageText pageText() {
    return pageText;
  }

  /** The columns of the first page's header (or generated names), null before the first record. */
  List<String> columns() {
    return columns;
  }

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
    if (pageText.charset().equals(StandardCharsets.UTF_8) && Utf8CsvTokenizer.handles(this)) {
      return parse(new Utf8CsvTokenizer(body, page, this, sink.takesUtf8Text()), page, sink);
    }
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
    return parse(new CharCsvTokenizer(text, page, this), page, sink);
  }

  private PageSummary parse(CsvTokenizer in, int page, RecordSink sink) throws IOException {
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

  private void acceptHeader(CsvTokenizer in, int width, int page, RecordSink sink) {
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
    } else if (names.size() > columns.size()
        && names.subList(0, columns.size()).equals(columns)) {
      announce(List.copyOf(names), sink); // columns added at the end: they join the schema
    } else if (!columns.equals(names)) {
      throw new MalformedDataException(
          page,
          in.recordLine,
          "header "
              + shown(names)
              + " differs from the earlier pages' "
              + shown(columns)
              + " (a later header may only add columns at the end)");
    }
  }

  /** The first header must name every declared column (later ones start with the first). */
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

  private void emit(CsvTokenizer in, int page, RecordSink sink) {
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

  static boolean isLineBreak(char c) {
    return c == '\n' || c == '\r';
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
