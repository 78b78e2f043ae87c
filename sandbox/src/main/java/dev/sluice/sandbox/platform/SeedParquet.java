package dev.sluice.sandbox.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Writes the Parquet files of seeded batches: row {@code r} of file {@code f} of batch {@code b}
 * always holds the same values, so tests can assert on content without storing it.
 */
final class SeedParquet {

  /** Epoch millis of the first generated date-time value; rows step one minute. */
  private static final long BASE_MILLIS = 1_709_251_200_000L; // 2024-03-01T00:00:00Z

  private SeedParquet() {}

  /** The Parquet schema an upload to {@code dataset} would use: every field, optional. */
  static MessageType schema(DatasetSeed dataset) {
    Types.MessageTypeBuilder builder = Types.buildMessage();
    for (DatasetSeed.Field field : dataset.fields()) {
      Types.PrimitiveBuilder<PrimitiveType> column =
          Types.primitive(field.type().parquetType(), Type.Repetition.OPTIONAL);
      if (field.type() == FieldType.STRING) {
        column = column.as(LogicalTypeAnnotation.stringType());
      } else if (field.type() == FieldType.DATE_TIME) {
        column =
            column.as(
                LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS));
      }
      builder.addField(column.named(field.name()));
    }
    return builder.named("xdm");
  }

  /** The file {@code fileIndex} of a seeded batch. */
  static byte[] file(DatasetSeed dataset, String batchId, int fileIndex, int rows) {
    List<Object[]> values = new ArrayList<>(rows);
    for (int row = 0; row < rows; row++) {
      Object[] record = new Object[dataset.fields().size()];
      for (int i = 0; i < record.length; i++) {
        record[i] = value(dataset.fields().get(i), batchId, fileIndex, row);
      }
      values.add(record);
    }
    return write(dataset, values);
  }

  /**
   * A file holding {@code rows}, each a map from field name to value: text for strings, numbers for
   * int/long/double, booleans, and epoch millis or ISO-8601 text for date-times. A missing or null
   * value is left null.
   *
   * @throws IllegalArgumentException for a name the dataset has no field for, or a value of the
   *     wrong kind
   */
  static byte[] rows(DatasetSeed dataset, List<Map<String, Object>> rows) {
    List<DatasetSeed.Field> fields = dataset.fields();
    List<Object[]> values = new ArrayList<>(rows.size());
    for (Map<String, Object> row : rows) {
      Object[] record = new Object[fields.size()];
      for (Map.Entry<String, Object> entry : row.entrySet()) {
        int index = -1;
        for (int i = 0; i < fields.size(); i++) {
          if (fields.get(i).name().equals(entry.getKey())) {
            index = i;
          }
        }
        if (index < 0) {
          throw new IllegalArgumentException(
              "dataset " + dataset.id() + " has no field '" + entry.getKey() + "'");
        }
        record[index] = convert(fields.get(index), entry.getValue());
      }
      values.add(record);
    }
    return write(dataset, values);
  }

  private static Object convert(DatasetSeed.Field field, Object value) {
    if (value == null) {
      return null;
    }
    try {
      return switch (field.type()) {
        case STRING -> value.toString();
        case INT -> Math.toIntExact(((Number) value).longValue());
        case LONG -> ((Number) value).longValue();
        case DOUBLE -> ((Number) value).doubleValue();
        case BOOLEAN -> (Boolean) value;
        case DATE_TIME ->
            value instanceof Number n
                ? n.longValue()
                : java.time.Instant.parse(value.toString()).toEpochMilli();
      };
    } catch (ClassCastException | ArithmeticException | java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          "value " + value + " does not fit field '" + field.name() + "' (" + field.type() + ")");
    }
  }

  private static byte[] write(DatasetSeed dataset, List<Object[]> rows) {
    MessageType schema = schema(dataset);
    InMemoryFiles.Output out = new InMemoryFiles.Output();
    try (ParquetWriter<Object[]> writer =
        new Builder(out, schema, dataset.fields())
            .withCompressionCodec(CompressionCodecName.UNCOMPRESSED)
            .build()) {
      for (Object[] row : rows) {
        writer.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("writing to memory cannot fail", e);
    }
    return out.bytes();
  }

  /** The value of {@code field} in a generated row; strings name the batch, file and row. */
  static Object value(DatasetSeed.Field field, String batchId, int fileIndex, int row) {
    int n = fileIndex * 1000 + row;
    return switch (field.type()) {
      case STRING -> field.name() + "-" + batchId + "-" + fileIndex + "-" + row;
      case INT -> 1900 + n % 120;
      case LONG -> (long) n * 10;
      case DOUBLE -> n / 4.0;
      case BOOLEAN -> n % 2 == 0;
      case DATE_TIME -> BASE_MILLIS + n * 60_000L;
    };
  }

  private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
    private final MessageType schema;
    private final List<DatasetSeed.Field> fields;

    Builder(OutputFile file, MessageType schema, List<DatasetSeed.Field> fields) {
      super(file);
      this.schema = schema;
      this.fields = fields;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
      return new RowSupport(schema, fields);
    }
  }

  /** Writes rows of values in field order; a null value leaves its (optional) field out. */
  private static final class RowSupport extends WriteSupport<Object[]> {
    private final MessageType schema;
    private final List<DatasetSeed.Field> fields;
    private RecordConsumer out;

    RowSupport(MessageType schema, List<DatasetSeed.Field> fields) {
      this.schema = schema;
      this.fields = fields;
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(schema, Map.of());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      out = recordConsumer;
    }

    @Override
    public void write(Object[] row) {
      out.startMessage();
      for (int i = 0; i < fields.size(); i++) {
        DatasetSeed.Field field = fields.get(i);
        Object value = row[i];
        if (value == null) {
          continue;
        }
        out.startField(field.name(), i);
        switch (field.type()) {
          case STRING -> out.addBinary(Binary.fromString((String) value));
          case INT -> out.addInteger((Integer) value);
          case LONG, DATE_TIME -> out.addLong((Long) value);
          case DOUBLE -> out.addDouble((Double) value);
          case BOOLEAN -> out.addBoolean((Boolean) value);
        }
        out.endField(field.name(), i);
      }
      out.endMessage();
    }
  }
}
