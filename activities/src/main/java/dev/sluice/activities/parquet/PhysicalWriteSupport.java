package dev.sluice.activities.parquet;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Writes rows of physical values, as {@link ParquetRowReader} reads them, into a flat schema: a row
 * copied from one file to another keeps its exact values (no text round trip, so timestamps,
 * decimals and declared formats survive unchanged). Not thread-safe.
 */
final class PhysicalWriteSupport extends WriteSupport<Object[]> {
  private final MessageType schema;
  private final PrimitiveType[] fields;
  private RecordConsumer out;

  /**
   * @param schema a flat schema of optional primitive columns; rows are indexed like its fields
   */
  PhysicalWriteSupport(MessageType schema) {
    this.schema = schema;
    this.fields = new PrimitiveType[schema.getFieldCount()];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = schema.getType(i).asPrimitiveType();
    }
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
   * @throws ClassCastException when a value is not the physical type of its column (a bug: rows are
   *     either read from a file of the same schema or converted by {@link RowMapping})
   */
  @Override
  public void write(Object[] row) {
    out.startMessage();
    for (int i = 0; i < fields.length; i++) {
      Object value = row[i];
      if (value == null) {
        continue;
      }
      String name = fields[i].getName();
      out.startField(name, i);
      switch (fields[i].getPrimitiveTypeName()) {
        case INT32 -> out.addInteger((Integer) value);
        case INT64 -> out.addLong((Long) value);
        case FLOAT -> out.addFloat((Float) value);
        case DOUBLE -> out.addDouble((Double) value);
        case BOOLEAN -> out.addBoolean((Boolean) value);
        case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> out.addBinary((Binary) value);
      }
      out.endField(name, i);
    }
    out.endMessage();
  }
}
