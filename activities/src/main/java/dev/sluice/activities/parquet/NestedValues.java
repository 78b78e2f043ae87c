package dev.sluice.activities.parquet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * The writers of struct and list columns, and the JSON text of nested values.
 *
 * <p>A nested value arrives as a {@code Map<String, Object>} (a JSON object, keys in order) or a
 * {@code List<Object>} (a JSON array) whose leaves are the values the flat writers take; or as JSON
 * text (from {@code format.nested: json}, or a CSV cell), which is parsed first. A struct writes
 * the fields it declares; a key it does not declare fails the value, naming the key, as a column
 * first seen after the schema was fixed does. A list is written in the standard three-level {@code
 * LIST} encoding, an empty list as a list with no elements, a null element as a null.
 */
final class NestedValues {
  /**
   * Reads and writes JSON text of nested values only (not the worker's mapper: no module or
   * setting of it matters here). Integers as {@code Long}, other numbers as {@code BigDecimal}, so
   * nothing is rounded before a column's writer sees it.
   */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private NestedValues() {}

  /** The writer of a struct or list column. */
  static ValueWriter writer(Column column) {
    return column.type() == ColumnType.LIST ? new ListWriter(column) : new StructWriter(column);
  }

  /** Whether {@code value} is a nested value (not JSON text). */
  static boolean isNested(Object value) {
    return value instanceof Map || value instanceof List;
  }

  /** A nested value as compact JSON text. */
  static String jsonText(Object nested) {
    try {
      return JSON.writeValueAsString(nested);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot render as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** {@code value} as a nested value: itself, or its JSON text parsed. */
  private static Object tree(Object value) {
    if (isNested(value)) {
      return value;
    }
    if (value instanceof String || value instanceof Utf8Text) { // CSV's text may be either
      String text = value.toString();
      try {
        return JSON.readValue(text, Object.class);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
      }
    }
    throw new IllegalArgumentException("expected an object or an array");
  }

  private static final class StructWriter extends ValueWriter {
    private final Column column;
    private final Map<String, Integer> indexes = new HashMap<>();
    private final ValueWriter[] writers;

    StructWriter(Column column) {
      this.column = column;
      this.writers = new ValueWriter[column.fields().size()];
      for (int i = 0; i < writers.length; i++) {
        indexes.put(column.fields().get(i).name(), i);
        writers[i] = ValueWriter.forColumn(column.fields().get(i));
      }
    }

    @Override
    void write(RecordConsumer out, Object value) {
      if (!(tree(value) instanceof Map<?, ?> struct)) {
        throw new IllegalArgumentException("expected an object for " + column.typeName());
      }
      Object[] values = new Object[writers.length];
      for (Map.Entry<?, ?> entry : struct.entrySet()) {
        Integer i = indexes.get(entry.getKey());
        if (i == null) {
          if (entry.getValue() == null) {
            continue; // a null is no value, whatever its key
          }
          throw new IllegalArgumentException(
              "field '" + entry.getKey() + "' is not one of " + column.typeName());
        }
        values[i] = entry.getValue();
      }
      out.startGroup();
      for (int i = 0; i < writers.length; i++) {
        if (values[i] != null) {
          String name = column.fields().get(i).name();
          out.startField(name, i);
          try {
            writers[i].write(out, values[i]);
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("field '" + name + "': " + e.getMessage(), e);
          }
          out.endField(name, i);
        }
      }
      out.endGroup();
    }

    @Override
    Comparable<?> typed(Object value) {
      throw new IllegalArgumentException("a struct has no order");
    }
  }

  private static final class ListWriter extends ValueWriter {
    /** The repeated group of the standard LIST encoding. */
    private static final String LIST = "list";

    private final ValueWriter element;

    ListWriter(Column column) {
      this.element = ValueWriter.forColumn(column.element());
    }

    @Override
    void write(RecordConsumer out, Object value) {
      if (!(tree(value) instanceof List<?> list)) {
        throw new IllegalArgumentException("expected an array");
      }
      out.startGroup();
      if (!list.isEmpty()) {
        out.startField(LIST, 0);
        for (int i = 0; i < list.size(); i++) {
          out.startGroup();
          Object item = list.get(i);
          if (item != null) {
            out.startField(Column.ELEMENT, 0);
            try {
              element.write(out, item);
            } catch (IllegalArgumentException e) {
              throw new IllegalArgumentException("element " + i + ": " + e.getMessage(), e);
            }
            out.endField(Column.ELEMENT, 0);
          }
          out.endGroup();
        }
        out.endField(LIST, 0);
      }
      out.endGroup();
    }

    @Override
    Comparable<?> typed(Object value) {
      throw new IllegalArgumentException("a list has no order");
    }
  }
}
