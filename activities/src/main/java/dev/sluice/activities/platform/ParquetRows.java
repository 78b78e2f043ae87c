package dev.sluice.activities.platform;

import dev.sluice.activities.parquet.RecordSink;
import dev.sluice.pipeline.ColumnSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimestampLogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * The rows of a source Parquet file as {@link RecordSink} values that keep their types: whole
 * numbers as {@code Long}, floating point as {@code Double}, booleans, text, decimals as {@code
 * BigDecimal}, timestamps (including legacy INT96) and dates as ISO-8601 text under a declared
 * {@code timestamp}/{@code date} column. Nested and repeated fields (XDM objects, arrays, maps)
 * arrive as their JSON text in a {@code string} column, as JSON sources' nested values do.
 *
 * <p>Types the staged table cannot hold (bytes without a string or decimal annotation, intervals,
 * half floats) fail before any row is read, naming the column.
 */
final class ParquetRows {

  /** Julian day number of 1970-01-01, for INT96 timestamps. */
  private static final long JULIAN_EPOCH_DAY = 2_440_588L;

  /** A column the staged table cannot hold. */
  static final class UnsupportedColumnException extends RuntimeException {
    private final String column;

    UnsupportedColumnException(String column, String problem) {
      super("column '" + column + "' " + problem);
      this.column = column;
    }

    String column() {
      return column;
    }
  }

  /** Reads one value of a field at a repetition index. */
  @FunctionalInterface
  interface Reader {
    Object read(Group group, int field, int index);
  }

  /** How one top-level field is read and declared. */
  private record FieldPlan(String name, String declaredType, Reader reader) {}

  private final InputFile file;
  private final MessageType schema;
  private final List<FieldPlan> plans;

  /**
   * Reads the footer of {@code file}.
   *
   * @throws IOException when the footer cannot be read (not a Parquet file, truncated)
   * @throws UnsupportedColumnException for a column of a type the staged table cannot hold
   */
  ParquetRows(Path file) throws IOException {
    this.file = new LocalInputFile(file);
    // Plain options: the default ones would build (and parse) a new Hadoop Configuration per file.
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            this.file, ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      this.schema = reader.getFooter().getFileMetaData().getSchema();
    } catch (RuntimeException e) {
      // parquet-java reports a bad magic number or footer as a RuntimeException.
      throw new IOException(e.getMessage(), e);
    }
    List<FieldPlan> fields = new ArrayList<>();
    for (Type field : schema.getFields()) {
      fields.add(plan(field));
    }
    this.plans = List.copyOf(fields);
  }

  /** The file's top-level column names, in order. */
  List<String> columns() {
    return plans.stream().map(FieldPlan::name).toList();
  }

  /**
   * Declarations keeping the file's types, for the staged writer: {@code long}, {@code double},
   * {@code boolean}, {@code string}, {@code timestamp}, {@code date}, {@code decimal(P,S)}.
   */
  List<ColumnSpec> declarations() {
    return plans.stream().map(p -> new ColumnSpec(p.name(), p.declaredType(), null)).toList();
  }

  /**
   * Streams every row into {@code sink}, after announcing {@link #columns()}.
   *
   * @return the rows read
   * @throws IOException when the file's data cannot be decoded
   */
  long read(RecordSink sink) throws IOException {
    sink.columns(columns());
    long rows = 0;
    try (ParquetReader<Group> reader = new GroupReader(file).build()) {
      for (Group group = reader.read(); group != null; group = reader.read()) {
        Object[] values = new Object[plans.size()];
        for (int i = 0; i < values.length; i++) {
          if (group.getFieldRepetitionCount(i) > 0) {
            values[i] = plans.get(i).reader().read(group, i, 0);
          }
        }
        sink.record(values);
        rows++;
      }
    } catch (RuntimeException e) {
      if (e instanceof UnsupportedColumnException) {
        throw e;
      }
      // parquet-java reports corrupt pages and encodings as runtime exceptions.
      if (e.getClass().getName().startsWith("org.apache.parquet")) {
        throw new IOException(e.getMessage(), e);
      }
      throw e;
    }
    return rows;
  }

  private static FieldPlan plan(Type field) {
    String name = field.getName();
    if (!field.isPrimitive() || field.isRepetition(Type.Repetition.REPEATED)) {
      // Validates every leaf now, so an unsupported nested leaf fails before the first row.
      ParquetJson.validate(field);
      return new FieldPlan(name, "string", (g, f, i) -> ParquetJson.field(g, f, field).toString());
    }
    PrimitiveType type = field.asPrimitiveType();
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    Reader reader = scalar(name, type);
    String declared =
        switch (type.getPrimitiveTypeName()) {
          case BOOLEAN -> "boolean";
          case FLOAT, DOUBLE -> "double";
          case INT96 -> "timestamp";
          case INT32, INT64 -> {
            if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
              yield "date";
            } else if (logical instanceof TimestampLogicalTypeAnnotation) {
              yield "timestamp";
            } else if (logical instanceof DecimalLogicalTypeAnnotation d) {
              yield decimal(d);
            } else if (logical instanceof TimeLogicalTypeAnnotation) {
              yield "string";
            } else if (logical instanceof IntLogicalTypeAnnotation i
                && !i.isSigned()
                && i.getBitWidth() == 64) {
              yield "decimal(20,0)";
            }
            yield "long";
          }
          case BINARY, FIXED_LEN_BYTE_ARRAY ->
              logical instanceof DecimalLogicalTypeAnnotation d ? decimal(d) : "string";
        };
    return new FieldPlan(name, declared, reader);
  }

  /** Parquet allows decimals wider than the 38 digits staged tables keep: those stay text. */
  private static String decimal(DecimalLogicalTypeAnnotation d) {
    return d.getPrecision() <= 38
        ? "decimal(" + d.getPrecision() + "," + d.getScale() + ")"
        : "string";
  }

  /**
   * The reader of a primitive field's values.
   *
   * @throws UnsupportedColumnException for a type the staged table cannot hold
   */
  static Reader scalar(String column, PrimitiveType type) {
    LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
    switch (type.getPrimitiveTypeName()) {
      case BOOLEAN:
        return (g, f, i) -> g.getBoolean(f, i);
      case FLOAT:
        // Through its shortest text: 0.1f stays 0.1 rather than 0.10000000149011612.
        return (g, f, i) -> Double.valueOf(Float.toString(g.getFloat(f, i)));
      case DOUBLE:
        return (g, f, i) -> g.getDouble(f, i);
      case INT96:
        return (g, f, i) -> int96(g.getInt96(f, i).getBytes());
      case INT32:
        if (logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) {
          return (g, f, i) -> LocalDate.ofEpochDay(g.getInteger(f, i)).toString();
        }
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
          return (g, f, i) -> BigDecimal.valueOf(g.getInteger(f, i), d.getScale());
        }
        if (logical instanceof TimeLogicalTypeAnnotation) {
          return (g, f, i) -> LocalTime.ofNanoOfDay(g.getInteger(f, i) * 1_000_000L).toString();
        }
        if (logical instanceof IntLogicalTypeAnnotation in && !in.isSigned()) {
          return (g, f, i) -> Integer.toUnsignedLong(g.getInteger(f, i));
        }
        if (logical == null || logical instanceof IntLogicalTypeAnnotation) {
          return (g, f, i) -> (long) g.getInteger(f, i);
        }
        break;
      case INT64:
        if (logical instanceof TimestampLogicalTypeAnnotation t) {
          return (g, f, i) -> instant(g.getLong(f, i), t.getUnit()).toString();
        }
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
          return (g, f, i) -> BigDecimal.valueOf(g.getLong(f, i), d.getScale());
        }
        if (logical instanceof TimeLogicalTypeAnnotation t) {
          return (g, f, i) -> LocalTime.ofNanoOfDay(nanos(g.getLong(f, i), t.getUnit())).toString();
        }
        if (logical instanceof IntLogicalTypeAnnotation in && !in.isSigned()) {
          return (g, f, i) -> new BigDecimal(Long.toUnsignedString(g.getLong(f, i)));
        }
        if (logical == null || logical instanceof IntLogicalTypeAnnotation) {
          return (g, f, i) -> g.getLong(f, i);
        }
        break;
      case BINARY:
      case FIXED_LEN_BYTE_ARRAY:
        if (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
            || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
            || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation) {
          return (g, f, i) -> g.getString(f, i);
        }
        if (logical instanceof DecimalLogicalTypeAnnotation d) {
          return (g, f, i) ->
              new BigDecimal(new BigInteger(g.getBinary(f, i).getBytes()), d.getScale());
        }
        if (logical instanceof LogicalTypeAnnotation.UUIDLogicalTypeAnnotation) {
          return (g, f, i) -> {
            ByteBuffer bytes = g.getBinary(f, i).toByteBuffer();
            return new UUID(bytes.getLong(), bytes.getLong()).toString();
          };
        }
        break;
      default:
        break;
    }
    throw new UnsupportedColumnException(
        column,
        "is "
            + type.getPrimitiveTypeName()
            + (logical == null ? " without a string or decimal annotation" : " (" + logical + ")")
            + ", which a staged Parquet table cannot hold");
  }

  private static Instant instant(long value, TimeUnit unit) {
    return switch (unit) {
      case MILLIS -> Instant.ofEpochMilli(value);
      case MICROS ->
          Instant.ofEpochSecond(
              Math.floorDiv(value, 1_000_000L), Math.floorMod(value, 1_000_000L) * 1_000L);
      case NANOS ->
          Instant.ofEpochSecond(
              Math.floorDiv(value, 1_000_000_000L), Math.floorMod(value, 1_000_000_000L));
    };
  }

  private static long nanos(long value, TimeUnit unit) {
    return switch (unit) {
      case MILLIS -> value * 1_000_000L;
      case MICROS -> value * 1_000L;
      case NANOS -> value;
    };
  }

  /** Legacy INT96 (Impala, older Spark): nanoseconds of the day, then the Julian day, LE. */
  private static String int96(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long nanosOfDay = buffer.getLong();
    long julianDay = Integer.toUnsignedLong(buffer.getInt());
    return Instant.ofEpochSecond((julianDay - JULIAN_EPOCH_DAY) * 86_400L, nanosOfDay).toString();
  }

  /** The example {@link Group} model over a local {@link InputFile}. */
  private static final class GroupReader extends ParquetReader.Builder<Group> {
    GroupReader(InputFile file) {
      super(file);
    }

    @Override
    protected ReadSupport<Group> getReadSupport() {
      return new GroupReadSupport();
    }
  }
}
