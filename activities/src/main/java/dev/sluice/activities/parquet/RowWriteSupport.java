package dev.sluice.activities.parquet;

import java.time.DateTimeException;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes rows (to the record consumer of a file, {@link FileWriteSupport}) as they arrive from
 * parsers ({@code Object[]} indexed like the parser's column list), or as {@link #ahead()}
 * converted them, in the schema's column order. One instance serves every file of a run, so record
 * numbers in error messages count over the whole run. Not thread-safe: used by the writer thread
 * only (its {@link #ahead()} conversion excepted).
 */
final class RowWriteSupport {
  private final List<Column> columns;
  private final String[] names;
  private final ValueWriter[] writers;

  /** Typed columns read empty text as null: CSV exporters often quote every field. */
  private final boolean[] emptyIsNull;

  private final int watermarkIndex;
  private final WatermarkTracker watermark;
  private final AheadConversion ahead;

  /** Whether the following rows were converted by {@link #ahead} rather than parsed. */
  private boolean convertedAhead;

  /** Schema column → index in the incoming rows, or -1 when the parser has no such column. */
  private int[] sourceIndex;

  private long recordNumber;

  /**
   * @param columns the schema
   * @param recordsBefore records written by earlier attempts of the run
   * @param watermarkIndex schema index of the watermark column, or -1
   * @param watermark tracker of the watermark column's maximum, or null
   */
  RowWriteSupport(
      List<Column> columns, long recordsBefore, int watermarkIndex, WatermarkTracker watermark) {
    this.columns = columns;
    this.names = columns.stream().map(Column::name).toArray(String[]::new);
    this.writers = new ValueWriter[columns.size()];
    this.emptyIsNull = new boolean[columns.size()];
    for (int j = 0; j < writers.length; j++) {
      writers[j] = ValueWriter.forColumn(columns.get(j));
      emptyIsNull[j] = columns.get(j).type() != ColumnType.STRING;
    }
    this.watermarkIndex = watermarkIndex;
    this.watermark = watermark;
    this.recordNumber = recordsBefore;
    this.sourceIndex = new int[columns.size()];
    Arrays.fill(sourceIndex, -1);
    boolean[] kept = new boolean[columns.size()];
    for (int j = 0; j < kept.length; j++) {
      kept[j] = columns.get(j).type().nested();
    }
    this.ahead = new AheadConversion(writers, emptyIsNull, kept, watermarkIndex);
  }

  /** The conversion of rows ahead of {@link #write}, for the parser's thread. */
  AheadConversion ahead() {
    return ahead;
  }

  /** Whether the following rows were converted by {@link #ahead()} rather than parsed. */
  void convertedAhead(boolean converted) {
    this.convertedAhead = converted;
  }

  /** Where the following rows keep each schema column (see {@code sourceIndex}). */
  void sourceIndex(int[] sourceIndex) {
    this.sourceIndex = sourceIndex;
  }

  /**
   * Writes {@code row} to {@code out}: the consumer of one of several files open at once (a
   * partitioned table's), which share this instance's record numbers and column mapping.
   *
   * @throws SchemaMismatchException when a value does not fit its column
   */
  void write(RecordConsumer out, Object[] row) {
    recordNumber++;
    out.startMessage();
    if (convertedAhead) {
      writeConverted(out, row);
    } else {
      for (int j = 0; j < writers.length; j++) {
        int i = sourceIndex[j];
        Object value = i >= 0 && i < row.length ? row[i] : null;
        if (value != null && !(emptyIsNull[j] && value instanceof String s && s.isEmpty())) {
          write(out, j, value);
        }
      }
    }
    out.endMessage();
  }

  /** Adds the values of a row {@link #ahead} converted: in schema order, ready to add. */
  private void writeConverted(RecordConsumer out, Object[] row) {
    for (int j = 0; j < writers.length; j++) {
      Object value = row[j];
      if (value == null) {
        continue;
      }
      if (ahead.keeps(j)) {
        write(out, j, value);
        continue;
      }
      out.startField(names[j], j);
      if (j == watermarkIndex) {
        AheadConversion.Watermark w = (AheadConversion.Watermark) value;
        writers[j].addPhysical(out, w.physical());
        watermark.offer(w.typed(), w.source());
      } else {
        writers[j].addPhysical(out, value);
      }
      out.endField(names[j], j);
    }
  }

  /** Converts and writes the source value of column {@code j}. */
  private void write(RecordConsumer out, int j, Object value) {
    String name = names[j];
    out.startField(name, j);
    Comparable<?> typed = null;
    try {
      if (j == watermarkIndex) {
        typed = writers[j].writeTyped(out, value);
      } else {
        writers[j].write(out, value);
      }
    } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
      throw SchemaMismatchException.forValue(columns.get(j), recordNumber, value, e);
    }
    out.endField(name, j);
    if (j == watermarkIndex) {
      watermark.offer(typed, value);
    }
  }
}
