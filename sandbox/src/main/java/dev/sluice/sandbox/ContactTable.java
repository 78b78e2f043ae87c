package dev.sluice.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The live Contact table: only its size is state, rows come from {@link ContactData}. */
final class ContactTable {

  private final long seed;
  private final List<String> fields;
  private final AtomicInteger size;

  ContactTable(long seed, int size) {
    this(seed, size, 0);
  }

  ContactTable(long seed, int size, int customFields) {
    this.seed = seed;
    this.fields = ContactData.fields(customFields);
    this.size = new AtomicInteger(size);
  }

  /** The table's fields, standard then custom ({@link ContactData#fields}). */
  List<String> fields() {
    return fields;
  }

  int size() {
    return size.get();
  }

  /** Appends {@code count} rows, newer than every existing one. */
  void append(int count) {
    if (count < 0) {
      throw new IllegalArgumentException("cannot append a negative number of rows: " + count);
    }
    size.addAndGet(count);
  }

  void resize(int newSize) {
    size.set(newSize);
  }

  /**
   * Writes rows {@code [fromInclusive, toExclusive)} as CSV (a header line naming {@code columns},
   * then one line per row with those fields) to {@code out}. Each row is generated as it is
   * written, so a page of any size is streamed rather than held in memory.
   *
   * @param columns fields of this table, spelled as in {@link #fields}
   * @throws IOException if {@code out} fails (typically: the client went away)
   */
  void writeCsv(List<String> columns, int fromInclusive, int toExclusive, OutputStream out)
      throws IOException {
    int[] positions =
        columns.stream().mapToInt(c -> ContactData.fieldIndex(fields, c)).toArray();
    Csv.StreamWriter csv = new Csv.StreamWriter(out);
    csv.header(columns);
    ContactData.Cursor cursor = new ContactData.Cursor(seed);
    StringBuilder value = new StringBuilder(128);
    for (int i = fromInclusive; i < toExclusive; i++) {
      cursor.moveTo(i);
      for (int field : positions) {
        value.setLength(0);
        csv.field(cursor.appendValue(field, value) ? value : null);
      }
      csv.endLine();
    }
    csv.finish();
  }
}
