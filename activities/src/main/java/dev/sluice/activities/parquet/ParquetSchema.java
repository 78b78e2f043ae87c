package dev.sluice.activities.parquet;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/** The Parquet schema of a list of columns: every column optional, names kept verbatim. */
final class ParquetSchema {
  /** Decimals up to this precision fit an {@code INT64} unscaled value. */
  static final int MAX_LONG_DECIMAL_PRECISION = 18;

  private ParquetSchema() {}

  static MessageType of(List<Column> columns) {
    List<Type> fields = new ArrayList<>(columns.size());
    for (Column column : columns) {
      fields.add(field(column));
    }
    return new MessageType("schema", fields);
  }

  /**
   * The length of the fixed-size two's-complement array that holds any {@code precision}-digit
   * decimal.
   */
  static int decimalBytes(int precision) {
    BigInteger largest = BigInteger.TEN.pow(precision);
    int bytes = 1;
    while (BigInteger.ONE.shiftLeft(8 * bytes - 1).compareTo(largest) < 0) {
      bytes++;
    }
    return bytes;
  }

  /** The field of {@code column}: optional, as every column and struct field is. */
  static Type field(Column column) {
    String name = column.name();
    return switch (column.type()) {
      case STRING ->
          Types.optional(PrimitiveTypeName.BINARY)
              .as(LogicalTypeAnnotation.stringType())
              .named(name);
      case LONG -> Types.optional(PrimitiveTypeName.INT64).named(name);
      case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE).named(name);
      case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
      case TIMESTAMP ->
          Types.optional(PrimitiveTypeName.INT64)
              .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS))
              .named(name);
      case DATE ->
          Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(name);
      case DECIMAL -> decimal(column);
      case STRUCT -> {
        List<Type> fields = new ArrayList<>(column.fields().size());
        for (Column field : column.fields()) {
          fields.add(field(field));
        }
        yield Types.optionalGroup().addFields(fields.toArray(Type[]::new)).named(name);
      }
        // The standard three-level LIST: the repeated group holds one optional element, so lists
        // may hold nulls and every reader (Spark, DuckDB, Arrow) reads it the same way.
      case LIST ->
          Types.optionalList().setElementType(field(column.element())).named(name);
    };
  }

  private static Type decimal(Column column) {
    LogicalTypeAnnotation decimal =
        LogicalTypeAnnotation.decimalType(column.scale(), column.precision());
    if (column.precision() <= MAX_LONG_DECIMAL_PRECISION) {
      return Types.optional(PrimitiveTypeName.INT64).as(decimal).named(column.name());
    }
    return Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY)
        .length(decimalBytes(column.precision()))
        .as(decimal)
        .named(column.name());
  }
}
