package dev.sluice.activities.formats;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * Splits one page of CSV into records for a {@link CsvPageParser}; {@link #fields} holds the
 * current record's values. Two implementations share the record bookkeeping and the messages here:
 * {@link Utf8CsvTokenizer} reads UTF-8 bytes as they arrive (no decoding to chars: the page's
 * usual case), {@link CharCsvTokenizer} reads decoded text (other charsets, a delimiter or quote
 * outside ASCII, a {@link java.io.Reader}). Each copies the parser's layout into final fields and
 * keeps its own per-character loop.
 */
abstract sealed class CsvTokenizer permits CharCsvTokenizer, Utf8CsvTokenizer {
  static final int EOF = -1;

  final int page;
  final CsvPageParser parser;
  final boolean header;
  final PageText pageText;

  /** Current 1-based line, and the line the current record started on. */
  long line = 1;

  long recordLine = 1;

  /** 1-based number of the current data record in the page (a header row is record 0). */
  long record;

  /** Records (header included) started in this page. */
  private long records;

  Object[] fields = new Object[16];
  int count;

  CsvTokenizer(int page, CsvPageParser parser) {
    this.page = page;
    this.parser = parser;
    this.header = parser.header();
    this.pageText = parser.pageText();
  }

  /** Reads the next non-blank record; returns its field count, or {@link #EOF}. */
  abstract int nextRecord() throws IOException;

  /** Counts a record that starts on the current line. */
  final void startRecord() {
    recordLine = line;
    records++;
    record = header ? records - 1 : records;
  }

  final void add(Object value) {
    if (count == fields.length) {
      fields = Arrays.copyOf(fields, count * 2);
    }
    fields[count++] = value;
  }

  /** Refuses a value of {@code chars} characters when it is longer than the limit. */
  final void requireFits(long chars) {
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
    List<String> columns = parser.columns();
    if (columns != null && count < columns.size()) {
      return "column '" + columns.get(count) + "'";
    }
    return "column " + (count + 1);
  }
}
