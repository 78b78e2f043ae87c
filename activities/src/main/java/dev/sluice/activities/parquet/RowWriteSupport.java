package dev.sluice.activities.parquet;

import java.time.DateTimeException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes rows as they arrive from parsers ({@code Object[]} indexed like the parser's column list)
 * in the schema's column order. One instance serves every file of a run, so record numbers in error
 * messages count over the whole run. Not thread-safe: used by the writer thread only.
 */
final class RowWriteSupport extends WriteSupport<Object[]> {
  private final List<Column> columns;
  private final MessageType schema;
  private final ValueWriter[] writers;

  /** Typed columns read empty text as null: CSV exporters often quote every field. */
  private final boolean[] emptyIsNull;

  private final int watermarkIndex;
  private final WatermarkTracker watermark;
  private RecordConsumer out;

  /** Schema column → index in the incoming rows, or -1 when the parser has no such column. */
  private int[] sourceIndex;

  private long recordNumber;

  /**
   * @param columns the schema
   * @param schema the files' Parquet schema of {@code columns} (with a table format's field IDs)
   * @param recordsBefore records written by earlier attempts of the run
   * @param watermarkIndex schema index of the watermark column, or -1
   * @param watermark tracker of the watermark column's maximum, or null
   */
  RowWriteSupport(
      List<Column> columns,
      MessageType schema,
      long recordsBefore,
      int watermarkIndex,
      WatermarkTracker watermark) {
    this.columns = columns;
    this.schema = schema;
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
  }

  /** Where the following rows keep each schema column (see {@code sourceIndex}). */
  void sourceIndex(int[] sourceIndex) {
    this.sourceIndex = sourceIndex;
  }

  @Override
  public WriteContext init(Configuration configuration) {
    return new WriteContext(schema, Map.of());
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.out = recordConsumer;
  }

  /**
   * @throws SchemaMismatchException when a value does not fit its column
   */
  @Override
  public void write(Object[] row) {
    write(out, row);
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
    for (int j = 0; j < writers.length; j++) {
      int i = sourceIndex[j];
      Object value = i >= 0 && i < row.length ? row[i] : null;
      if (value == null || (emptyIsNull[j] && value instanceof String s && s.isEmpty())) {
        continue;
      }
      String name = columns.get(j).name();
      out.startField(name, j);
      try {
        writers[j].write(out, value);
      } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
        throw SchemaMismatchException.forValue(columns.get(j), recordNumber, value, e);
      }
      out.endField(name, j);
      if (j == watermarkIndex) {
        watermark.offer(value);
      }
    }
    out.endMessage();
  }
}
