package dev.sluice.activities.parquet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Struct fields first seen after a run's schema was fixed ({@code format.nested: struct}): whether
 * a record brings one, and the column with them added. Only inferred columns grow; a declared one
 * refuses a key it lacks when the value is written, and no field changes type.
 */
final class NewFields {
  private NewFields() {}

  /**
   * Per schema column, whether it is an inferred struct or list (one that may grow); null when none
   * is, so flat schemas check nothing per record.
   */
  static boolean[] growable(List<Column> schema, Map<String, Column> declared) {
    boolean[] growable = new boolean[schema.size()];
    boolean any = false;
    for (int j = 0; j < growable.length; j++) {
      Column column = schema.get(j);
      growable[j] = column.type().nested() && !declared.containsKey(column.name());
      any |= growable[j];
    }
    return any ? growable : null;
  }

  /**
   * Whether a value of {@code row} (indexed as {@code sourceIndex} says) in a growable column has a
   * key, with a value, that its struct (or a struct inside it) lacks.
   */
  static boolean in(List<Column> schema, boolean[] growable, int[] sourceIndex, Object[] row) {
    for (int j = 0; j < growable.length; j++) {
      int i = sourceIndex[j];
      if (growable[j] && i >= 0 && i < row.length && outgrows(schema.get(j), row[i])) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code column} with the keys of {@code values} it lacks added as fields (after its own, typed
   * as inference types a column); the fields it has keep their types.
   */
  static Column widen(Column column, List<?> values) {
    if (column.type() == ColumnType.LIST) {
      List<Object> items = new ArrayList<>();
      for (Object value : values) {
        if (value instanceof List<?> list) {
          items.addAll(list);
        }
      }
      return Column.list(column.name(), widen(column.element(), items));
    }
    if (column.type() != ColumnType.STRUCT) {
      return column;
    }
    Map<String, List<Object>> byKey = new LinkedHashMap<>();
    for (Object value : values) {
      if (value instanceof Map<?, ?> struct) {
        struct.forEach(
            (key, field) ->
                byKey.computeIfAbsent(String.valueOf(key), k -> new ArrayList<>()).add(field));
      }
    }
    List<Column> fields = new ArrayList<>();
    for (Column field : column.fields()) {
      fields.add(widen(field, byKey.getOrDefault(field.name(), List.of())));
    }
    byKey.forEach(
        (key, sample) -> {
          if (field(column, key) == null) {
            NestedInference inference = new NestedInference();
            sample.forEach(inference::offer);
            fields.add(inference.column(key));
          }
        });
    return Column.struct(column.name(), fields);
  }

  private static boolean outgrows(Column column, Object value) {
    if (column.type() == ColumnType.STRUCT && value instanceof Map<?, ?> struct) {
      for (Map.Entry<?, ?> entry : struct.entrySet()) {
        if (entry.getValue() != null) {
          Column field = field(column, String.valueOf(entry.getKey()));
          if (field == null || outgrows(field, entry.getValue())) {
            return true;
          }
        }
      }
    } else if (column.type() == ColumnType.LIST && value instanceof List<?> list) {
      for (Object item : list) {
        if (outgrows(column.element(), item)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Column field(Column struct, String name) {
    for (Column field : struct.fields()) {
      if (field.name().equals(name)) {
        return field;
      }
    }
    return null;
  }
}
