package dev.sluice.activities.parquet;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Fixes the schema of a run from its first rows. Declared columns win; every other column gets the
 * narrowest type all its sampled values fit. Objects and arrays (as {@code format.nested: struct}
 * reads them) make struct and list columns: {@link NestedInference}.
 */
final class SchemaInference {
  /** No leading zeros: {@code 007} is an identifier, not a number. */
  private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9]\\d*)");

  private static final Pattern NUMBER =
      Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?");

  private SchemaInference() {}

  /**
   * The schema: the {@code names} in order, then declared columns the sample never named.
   *
   * @param names column names of the sample rows
   * @param sample rows whose {@code [i]} belongs to {@code names.get(i)}; may be shorter
   * @param declared declared columns by name, in declaration order
   */
  static List<Column> infer(
      List<String> names, List<Object[]> sample, Map<String, Column> declared) {
    Map<String, Column> columns = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Column column = declared.get(name);
      columns.put(name, column != null ? column : inferColumn(name, sample, i));
    }
    declared.forEach(columns::putIfAbsent);
    return List.copyOf(columns.values());
  }

  /**
   * {@code base} followed by a column for each of {@code names} it lacks (in their order), typed
   * from {@code sample} as {@link #infer} types a column; a struct of {@code base} that is not
   * declared gains the fields of the sample it lacks ({@link NewFields}); no type changes.
   *
   * @param sample rows whose {@code [i]} belongs to {@code names.get(i)}; may be shorter
   */
  static List<Column> extend(
      List<Column> base, List<String> names, List<Object[]> sample, Map<String, Column> declared) {
    List<Column> columns = new ArrayList<>(base);
    for (int j = 0; j < columns.size(); j++) {
      Column column = columns.get(j);
      int i = names.indexOf(column.name());
      if (i >= 0 && column.type().nested() && !declared.containsKey(column.name())) {
        List<Object> values = new ArrayList<>();
        for (Object[] row : sample) {
          values.add(i < row.length ? row[i] : null);
        }
        columns.set(j, NewFields.widen(column, values));
      }
    }
    for (int i = 0; i < names.size(); i++) {
      if (indexOf(base, names.get(i)) < 0) {
        columns.add(inferColumn(names.get(i), sample, i));
      }
    }
    return List.copyOf(columns);
  }

  /**
   * For each column, the index of its name in {@code names} (a parser's columns) or -1; null when
   * a name is not a column.
   */
  static int[] positions(List<Column> columns, List<String> names) {
    int[] index = new int[columns.size()];
    Arrays.fill(index, -1);
    for (int i = 0; i < names.size(); i++) {
      int j = indexOf(columns, names.get(i));
      if (j < 0) {
        return null;
      }
      index[j] = i;
    }
    return index;
  }

  /** The index of the column named {@code name}, or -1. */
  static int indexOf(List<Column> columns, String name) {
    for (int j = 0; j < columns.size(); j++) {
      if (columns.get(j).name().equals(name)) {
        return j;
      }
    }
    return -1;
  }

  /** The type of one value, or null when it carries none (null, empty text). */
  static ColumnType typeOf(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Boolean) {
      return ColumnType.BOOLEAN;
    }
    if (value instanceof Long) {
      return ColumnType.LONG;
    }
    if (value instanceof BigDecimal d) {
      return d.scale() <= 0 && fitsLong(d) ? ColumnType.LONG : ColumnType.DOUBLE;
    }
    if (value instanceof Number) {
      return ColumnType.DOUBLE;
    }
    if (value instanceof String text) {
      return typeOfText(text);
    }
    if (value instanceof java.util.Map) {
      return ColumnType.STRUCT;
    }
    if (value instanceof List) {
      return ColumnType.LIST;
    }
    return typeOfText(value.toString());
  }

  /** The narrowest type both {@code a} and {@code b} fit (null means no information yet). */
  static ColumnType widen(ColumnType a, ColumnType b) {
    if (a == null || a == b) {
      return b;
    }
    if (b == null) {
      return a;
    }
    boolean numeric =
        (a == ColumnType.LONG || a == ColumnType.DOUBLE)
            && (b == ColumnType.LONG || b == ColumnType.DOUBLE);
    return numeric ? ColumnType.DOUBLE : ColumnType.STRING;
  }

  private static Column inferColumn(String name, List<Object[]> sample, int index) {
    ColumnType type = null;
    for (Object[] row : sample) {
      if (index < row.length) {
        type = widen(type, typeOf(row[index]));
        if (type == ColumnType.STRING) {
          break;
        }
      }
    }
    if (type != null && type.nested()) {
      // Objects or arrays only (format.nested: struct): a second pass finds their fields.
      NestedInference nested = new NestedInference();
      for (Object[] row : sample) {
        if (index < row.length) {
          nested.offer(row[index]);
        }
      }
      return nested.column(name);
    }
    return Column.of(name, type == null ? ColumnType.STRING : type);
  }

  private static ColumnType typeOfText(String text) {
    if (text.isEmpty()) {
      return null;
    }
    if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
      return ColumnType.BOOLEAN;
    }
    if (INTEGER.matcher(text).matches()) {
      return fitsLong(new BigDecimal(text)) ? ColumnType.LONG : ColumnType.DOUBLE;
    }
    if (NUMBER.matcher(text).matches()) {
      return ColumnType.DOUBLE;
    }
    if (startsWithDate(text)) {
      if (isTimestamp(text)) {
        return ColumnType.TIMESTAMP;
      }
      if (isDate(text)) {
        return ColumnType.DATE;
      }
    }
    return ColumnType.STRING;
  }

  /** A cheap test that spares parsing (and its exceptions) for text that is no date. */
  private static boolean startsWithDate(String text) {
    return text.length() >= 10 && text.charAt(4) == '-' && text.charAt(7) == '-';
  }

  private static boolean isTimestamp(String text) {
    try {
      TemporalValues.epochMicros(text, null);
      return true;
    } catch (DateTimeException | ArithmeticException e) {
      return false;
    }
  }

  private static boolean isDate(String text) {
    try {
      TemporalValues.epochDay(text, null);
      return true;
    } catch (DateTimeException | ArithmeticException e) {
      return false;
    }
  }

  private static boolean fitsLong(BigDecimal integral) {
    return integral.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) >= 0
        && integral.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
  }
}
