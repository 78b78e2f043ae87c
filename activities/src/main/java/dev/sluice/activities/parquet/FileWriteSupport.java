package dev.sluice.activities.parquet;

import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * One staged file's write support: the run's shared {@link RowWriteSupport} (record numbers,
 * column mapping) bound to the file's own record consumer, in the schema the table's format asked
 * for (with its field IDs). Several files are open at once in a partitioned table.
 */
final class FileWriteSupport extends WriteSupport<Object[]> {
  private final RowWriteSupport rows;
  private final MessageType schema;
  private RecordConsumer out;

  FileWriteSupport(RowWriteSupport rows, MessageType schema) {
    this.rows = rows;
    this.schema = schema;
  }

  @Override
  public WriteContext init(Configuration configuration) {
    return new WriteContext(schema, Map.of());
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.out = recordConsumer;
  }

  @Override
  public void write(Object[] row) {
    rows.write(out, row);
  }
}
