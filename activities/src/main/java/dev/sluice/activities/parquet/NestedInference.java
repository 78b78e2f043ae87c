package dev.sluice.activities.parquet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The type of a column whose sampled values are objects or arrays: a struct of every key seen (in
 * order of first appearance), a list of the widest element, each field and element typed as a
 * column is. Whatever does not fit one shape becomes {@code string} (its JSON text): an object in
 * one record and a number in another, a key whose values are only nulls, an empty object, and
 * anything nested deeper than {@value ColumnTypeGrammar#MAX_DEPTH} levels.
 *
 * <p>Not thread-safe; one instance infers one column.
 */
final class NestedInference {
  /** What the sample says of a value so far; a null type means "no value seen yet". */
  private static final class Shape {
    ColumnType type;
    final Map<String, Shape> fields = new LinkedHashMap<>();
    Shape element;
  }

  private final Shape root = new Shape();

  /** Takes one more sampled value (null, a scalar, a {@code Map} or a {@code List}) into account. */
  void offer(Object value) {
    merge(root, value, 1);
  }

  /** The column named {@code name} that every value offered fits. */
  Column column(String name) {
    return column(name, root);
  }

  private static void merge(Shape shape, Object value, int depth) {
    ColumnType type = SchemaInference.typeOf(value);
    if (type == null || shape.type == ColumnType.STRING) {
      return;
    }
    if (type.nested() && depth > ColumnTypeGrammar.MAX_DEPTH) {
      type = ColumnType.STRING;
    }
    ColumnType before = shape.type;
    shape.type = SchemaInference.widen(before, type);
    if (!shape.type.nested()) {
      shape.fields.clear();
      shape.element = null;
      return;
    }
    if (value instanceof Map<?, ?> struct) {
      for (Map.Entry<?, ?> entry : struct.entrySet()) {
        Shape field = shape.fields.computeIfAbsent(String.valueOf(entry.getKey()), k -> new Shape());
        merge(field, entry.getValue(), depth + 1);
      }
    } else if (value instanceof List<?> list) {
      if (shape.element == null) {
        shape.element = new Shape();
      }
      for (Object item : list) {
        merge(shape.element, item, depth + 1);
      }
    }
  }

  private static Column column(String name, Shape shape) {
    if (shape.type == ColumnType.STRUCT && !shape.fields.isEmpty()) {
      List<Column> fields = new ArrayList<>(shape.fields.size());
      shape.fields.forEach((field, fieldShape) -> fields.add(column(field, fieldShape)));
      return Column.struct(name, fields);
    }
    if (shape.type == ColumnType.LIST) {
      Shape element = shape.element == null ? new Shape() : shape.element;
      return Column.list(name, column(Column.ELEMENT, element));
    }
    // No value, an empty object (Parquet has no group without fields), or text.
    return Column.of(name, shape.type == null || shape.type.nested() ? ColumnType.STRING : shape.type);
  }
}
