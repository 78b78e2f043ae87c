package dev.sluice.activities.iceberg;

import dev.sluice.activities.parquet.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Sluice's column types as Iceberg types: {@code string}, {@code long}, {@code double}, {@code
 * boolean}, {@code timestamptz} (a timestamp is an instant), {@code date}, {@code decimal(P,S)},
 * structs and lists. Every field is optional, as every staged column is.
 */
final class IcebergTypes {
  private IcebergTypes() {}

  /** A schema of {@code columns}, field IDs from 1 in order (a catalog may assign its own). */
  static Schema schema(List<Column> columns) {
    AtomicInteger ids = new AtomicInteger(columns.size());
    List<Types.NestedField> fields = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      Column column = columns.get(i);
      fields.add(Types.NestedField.optional(i + 1, column.name(), type(column, ids)));
    }
    return new Schema(fields);
  }

  /** The Iceberg type of {@code column}; nested fields take IDs from {@code ids}. */
  static Type type(Column column, AtomicInteger ids) {
    return switch (column.type()) {
      case STRING -> Types.StringType.get();
      case LONG -> Types.LongType.get();
      case DOUBLE -> Types.DoubleType.get();
      case BOOLEAN -> Types.BooleanType.get();
      case TIMESTAMP -> Types.TimestampType.withZone();
      case DATE -> Types.DateType.get();
      case DECIMAL -> Types.DecimalType.of(column.precision(), column.scale());
      case STRUCT -> {
        List<Types.NestedField> fields = new ArrayList<>();
        List<Integer> fieldIds = new ArrayList<>();
        column.fields().forEach(f -> fieldIds.add(ids.incrementAndGet()));
        for (int i = 0; i < column.fields().size(); i++) {
          Column field = column.fields().get(i);
          fields.add(Types.NestedField.optional(fieldIds.get(i), field.name(), type(field, ids)));
        }
        yield Types.StructType.of(fields);
      }
      case LIST -> {
        int elementId = ids.incrementAndGet();
        yield Types.ListType.ofOptional(elementId, type(column.element(), ids));
      }
    };
  }

  /** The type as a pipeline's reader would call it (Iceberg's own names). */
  static String name(Type type) {
    return type.toString();
  }
}
