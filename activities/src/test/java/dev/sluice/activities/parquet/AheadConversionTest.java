package dev.sluice.activities.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.junit.jupiter.api.Test;

/**
 * Rows converted ahead on the parser's thread ({@link AheadConversion}) reach parquet-java exactly
 * as the rows the writer thread converts itself: the same calls with the same values, the same
 * watermark, the same rows dropped outside a window's range, and the same error for a bad value,
 * naming the same record.
 */
class AheadConversionTest {
  private static final List<Column> SCHEMA =
      List.of(
          new Column("local", ColumnType.TIMESTAMP, 0, 0, "yyyy-MM-dd HH:mm", List.of()),
          Column.of("Id", ColumnType.STRING),
          Column.of("n", ColumnType.LONG),
          Column.of("x", ColumnType.DOUBLE),
          Column.of("flag", ColumnType.BOOLEAN),
          Column.of("modified", ColumnType.TIMESTAMP),
          Column.of("born", ColumnType.DATE),
          Column.decimal("amount", "decimal(18,2)"),
          Column.decimal("big", "decimal(30,4)"),
          Column.struct("s", List.of(Column.of("a", ColumnType.LONG))));

  private static final int WATERMARK = 5;

  /** The parser's column order differs from the schema's; its column "extra" is not written. */
  private static final int[] SOURCE_INDEX = {9, 0, 1, 2, 3, 4, 5, 6, 7, 8};

  @Test
  void givenRowsOfEveryType_whenConvertedAhead_thenParquetReceivesTheSameValues() {
    Object[][] parsed = rows();
    Written asParsed = write(copy(parsed), 0, WatermarkRange.all());
    Object[][] converted = copy(parsed);
    int count = convert(converted);

    Written ahead = write(converted, count, WatermarkRange.all());

    assertEquals(parsed.length, count);
    assertInstanceOf(Binary.class, converted[0][1]);
    assertInstanceOf(Long.class, converted[0][2]);
    assertInstanceOf(Integer.class, converted[0][6]);
    assertInstanceOf(Long.class, converted[0][7]);
    assertSame(parsed[0][4], AheadConversion.source(converted[0][WATERMARK])); // its text is kept
    assertSame(parsed[0][8], converted[0][9]); // a struct: the writer thread converts it
    assertEquals(asParsed.calls, ahead.calls);
    assertEquals(asParsed.maxWatermark, ahead.maxWatermark);
    assertEquals("2026-03-01T10:00:00.123456+01:00", ahead.maxWatermark);
  }

  @Test
  void givenABadValue_whenConvertedAhead_thenItsRowStaysAsParsedAndTheErrorNamesItsRecord() {
    Object[][] parsed = rows();
    parsed[2][1] = "12x";
    SchemaMismatchException expected =
        assertThrows(
            SchemaMismatchException.class, () -> write(copy(parsed), 0, WatermarkRange.all()));
    Object[][] converted = copy(parsed);
    Object[] bad = converted[2];
    Object[] after = converted[3];

    int count = convert(converted);
    SchemaMismatchException actual =
        assertThrows(
            SchemaMismatchException.class, () -> write(converted, count, WatermarkRange.all()));

    assertEquals(2, count);
    assertSame(bad, converted[2]);
    assertSame(after, converted[3]);
    assertEquals(expected.getMessage(), actual.getMessage());
    assertEquals(3 + 10, actual.recordNumber()); // 10 records written before this batch
  }

  @Test
  void givenAWindowRange_whenConvertedAhead_thenTheSameRowsAreDropped() {
    Object[][] parsed = rows();
    Written asParsed = write(copy(parsed), 0, range());
    Object[][] converted = copy(parsed);
    int count = convert(converted);

    Written ahead = writeAhead(converted, count, range());

    assertEquals(2, asParsed.dropped);
    assertEquals(asParsed.dropped, ahead.dropped);
    assertEquals(asParsed.calls, ahead.calls);
    assertEquals(2, ahead.droppedBeforeBatch); // on the parser's thread, not the writer's
    assertNotEquals(write(copy(parsed), 0, WatermarkRange.all()).calls, ahead.calls);
  }

  @Test
  void givenAWatermarkOfEveryScalarType_whenConvertedAhead_thenItOrdersAsTheWriterTypesIt() {
    Object[][] values = {
      {Column.of("s", ColumnType.STRING), "b"},
      {Column.of("s", ColumnType.STRING), 12L},
      {Column.of("n", ColumnType.LONG), "12"},
      {Column.of("x", ColumnType.DOUBLE), "1.5"},
      {Column.of("b", ColumnType.BOOLEAN), "TRUE"},
      {Column.of("t", ColumnType.TIMESTAMP), "2026-01-01T00:00:00+01:00"},
      {Column.of("d", ColumnType.DATE), "2026-01-31"},
      {Column.decimal("a", "decimal(18,2)"), "1.5"},
      {Column.decimal("a", "decimal(30,2)"), new BigDecimal("-7.25")},
    };
    for (Object[] v : values) {
      ValueWriter writer = ValueWriter.forColumn((Column) v[0]);

      Comparable<?> typed = writer.typed(v[1], writer.physical(v[1]));

      assertEquals(writer.typed(v[1]), typed, v[0] + " " + v[1]);
    }
  }

  @Test
  void givenCsvTextAsUtf8Bytes_whenWrittenAheadOrNot_thenParquetReceivesWhatTheStringsGive() {
    Object[][] parsed = rows();
    Written strings = write(copy(parsed), 0, WatermarkRange.all());
    Written bytes = write(asUtf8Text(parsed), 0, WatermarkRange.all());
    Object[][] converted = asUtf8Text(parsed);
    int count = convert(converted);

    Written ahead = write(converted, count, WatermarkRange.all());

    assertEquals(parsed.length, count);
    assertEquals(strings, bytes);
    assertEquals(strings, ahead);
    assertEquals(write(copy(parsed), 0, range()), write(asUtf8Text(parsed), 0, range()));
    Object[][] windowed = asUtf8Text(parsed);
    Written windowedAhead = writeAhead(windowed, convert(windowed), range());
    assertEquals(write(copy(parsed), 0, range()).calls, windowedAhead.calls);
    assertEquals(2, windowedAhead.dropped);
  }

  @Test
  void givenABadUtf8TextValue_whenWrittenAheadOrNot_thenTheErrorIsTheStringsError() {
    // A long (its fast path falls back), a timestamp (the ISO parser's message), a decimal.
    Object[][] badValues = {{2, 1, "12x€"}, {3, 4, "2026-01-01T00:00:00Zé"}, {1, 6, "1.505"}};
    for (Object[] badValue : badValues) {
      Object[][] bad = rows();
      bad[(Integer) badValue[0]][(Integer) badValue[1]] = badValue[2];
      SchemaMismatchException expected =
          assertThrows(
              SchemaMismatchException.class, () -> write(copy(bad), 0, WatermarkRange.all()));
      Object[][] converted = asUtf8Text(bad);
      int count = convert(converted);

      SchemaMismatchException actual =
          assertThrows(
              SchemaMismatchException.class, () -> write(converted, count, WatermarkRange.all()));

      assertEquals(expected.getMessage(), actual.getMessage());
      assertEquals(expected.recordNumber(), actual.recordNumber());
    }
  }

  /** {@code rows} with every non-empty String as the UTF-8 bytes a CSV tokenizer hands over. */
  private static Object[][] asUtf8Text(Object[][] rows) {
    Object[][] copy = copy(rows);
    for (Object[] row : copy) {
      for (int i = 0; i < row.length; i++) {
        if (row[i] instanceof String s && !s.isEmpty()) {
          byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
          row[i] = Utf8Text.copyOf(utf8, 0, utf8.length);
        }
      }
    }
    return copy;
  }

  /** Rows as CSV (text) and JSON (numbers, booleans) parsers deliver them, in source order. */
  private static Object[][] rows() {
    return new Object[][] {
      {"a1", "42", "1.5", "true", "2026-01-01T00:00:00Z", "1990-02-28", "12.30", "1.5", "{\"a\":1}",
        "2026-01-01 10:15", "extra"},
      {"ü2", 7L, 2.25d, false, "2026-03-01T10:00:00.123456+01:00", "", "-0.5", "123456789012.3456",
        null, null, null},
      {"", "", null, "FALSE", "2026-02-01T00:00:00.000+0000", null, new BigDecimal("3"), null},
      {"b4", "-9", "1e3", null, "", "2000-02-29", "7", "-1", "{\"a\":null}", "2025-12-31 23:59"},
      {null, 5L, 3L, "true", "2026-01-15T00:00:00Z"},
    };
  }

  /**
   * Converts the leading rows, as the staging writer does, up to the first that does not convert;
   * returns how many were.
   */
  private static int convert(Object[][] rows) {
    AheadConversion ahead = support().ahead();
    for (int r = 0; r < rows.length; r++) {
      Object[] converted = ahead.convert(rows[r], SOURCE_INDEX);
      if (converted == null) {
        return r;
      }
      rows[r] = converted;
    }
    return rows.length;
  }

  private static WatermarkRange range() {
    WatermarkRange range = new WatermarkRange("2026-01-01T00:00:00Z", "2026-02-15T00:00:00Z");
    range.compareAs(SCHEMA.get(WATERMARK));
    return range;
  }

  private static Object[][] copy(Object[][] rows) {
    Object[][] copy = new Object[rows.length][];
    for (int r = 0; r < rows.length; r++) {
      copy[r] = rows[r].clone();
    }
    return copy;
  }

  private static RowWriteSupport support() {
    WatermarkTracker tracker =
        new WatermarkTracker(ValueWriter.forColumn(SCHEMA.get(WATERMARK)), null);
    return new RowWriteSupport(SCHEMA, 10, WATERMARK, tracker);
  }

  /** Runs one batch on this thread, as the writer thread would, and records what it wrote. */
  private static Written write(Object[][] rows, int converted, WatermarkRange range) {
    WatermarkTracker tracker =
        new WatermarkTracker(ValueWriter.forColumn(SCHEMA.get(WATERMARK)), null);
    RowWriteSupport support = new RowWriteSupport(SCHEMA, 10, WATERMARK, tracker);
    Recorder out = new Recorder();
    AtomicLong dropped = new AtomicLong();
    int filter = range.bounded() ? WATERMARK : -1;
    Files files = new Files(support, out);
    new RowBatch(rows, converted, SOURCE_INDEX, support, files, range, filter, dropped).run();
    return new Written(out.calls, tracker.max(), dropped.get(), 0);
  }

  /**
   * Batches rows of which the first {@code count} were converted ahead as the staging writer does
   * (a converted row outside the range is dropped before the batch, {@link RowBatch#outside}), and
   * writes the batch.
   */
  private static Written writeAhead(Object[][] rows, int count, WatermarkRange range) {
    int filter = range.bounded() ? WATERMARK : -1;
    List<Object[]> batched = new ArrayList<>();
    int droppedAhead = 0;
    for (int r = 0; r < rows.length; r++) {
      if (r < count && RowBatch.outside(range, filter, rows[r])) {
        droppedAhead++;
      } else {
        batched.add(rows[r]);
      }
    }
    Written written = write(batched.toArray(new Object[0][]), count - droppedAhead, range);
    return new Written(
        written.calls, written.maxWatermark, written.dropped + droppedAhead, droppedAhead);
  }

  private record Written(
      List<String> calls, String maxWatermark, long dropped, long droppedBeforeBatch) {}

  /** A file set that hands every row to the support with one recording consumer. */
  private record Files(RowWriteSupport support, RecordConsumer out) implements FileSet {
    @Override
    public void write(Object[] row) {
      support.write(out, row);
    }

    @Override
    public void plainEncoded(Set<String> columns) {}

    @Override
    public boolean reachedTarget() {
      return false;
    }

    @Override
    public void closeCurrent() {}

    @Override
    public void abandonCurrent() {}

    @Override
    public List<String> finished() {
      return List.of();
    }

    @Override
    public long rows() {
      return 0;
    }

    @Override
    public long bytes() {
      return 0;
    }
  }

  /** Records every call with its value. */
  private static final class Recorder extends RecordConsumer {
    final List<String> calls = new ArrayList<>();

    @Override
    public void startMessage() {
      calls.add("message");
    }

    @Override
    public void endMessage() {
      calls.add("end message");
    }

    @Override
    public void startField(String field, int index) {
      calls.add("field " + field + " " + index);
    }

    @Override
    public void endField(String field, int index) {
      calls.add("end field " + field + " " + index);
    }

    @Override
    public void startGroup() {
      calls.add("group");
    }

    @Override
    public void endGroup() {
      calls.add("end group");
    }

    @Override
    public void addInteger(int value) {
      calls.add("int " + value);
    }

    @Override
    public void addLong(long value) {
      calls.add("long " + value);
    }

    @Override
    public void addBoolean(boolean value) {
      calls.add("boolean " + value);
    }

    @Override
    public void addBinary(Binary value) {
      calls.add("binary " + java.util.Arrays.toString(value.getBytes()));
    }

    @Override
    public void addFloat(float value) {
      calls.add("float " + value);
    }

    @Override
    public void addDouble(double value) {
      calls.add("double " + value);
    }
  }
}
