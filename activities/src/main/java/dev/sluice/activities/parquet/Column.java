package dev.sluice.activities.parquet;

import dev.sluice.pipeline.ColumnSpec;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One column of a staged Parquet file. It travels in {@link ParquetStagingWriter.WriterState}, so
 * a later attempt of a run writes its files in the schema the earlier one reached.
 *
 * @param name column name as the source names it (kept verbatim in the Parquet schema)
 * @param type value type
 * @param precision total digits of a {@link ColumnType#DECIMAL} (1–38), 0 for other types
 * @param scale digits after the point of a {@link ColumnType#DECIMAL}, 0 for other types
 * @param format {@link DateTimeFormatter} pattern of a TIMESTAMP or DATE column, or null for
 *     ISO-8601
 * @param fields a {@link ColumnType#STRUCT}'s fields in order, a {@link ColumnType#LIST}'s one
 *     element (named {@value #ELEMENT}); empty for other types (and when JSON written before nested
 *     types existed is read)
 */
public record Column(
    String name, ColumnType type, int precision, int scale, String format, List<Column> fields) {
  /** The largest decimal precision Parquet readers commonly support. */
  public static final int MAX_DECIMAL_PRECISION = 38;

  private static final Pattern DECIMAL =
      Pattern.compile("decimal\\s*\\(\\s*(\\d{1,3})\\s*,\\s*(\\d{1,3})\\s*\\)");

  /** The name of a list's element, as the standard Parquet LIST encoding names it. */
  public static final String ELEMENT = "element";

  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    fields = fields == null ? List.of() : List.copyOf(fields);
  }

  /** A column of {@code type} with no precision, scale, format or fields. */
  public static Column of(String name, ColumnType type) {
    return new Column(name, type, 0, 0, null, List.of());
  }

  /** A struct column of {@code fields}. */
  public static Column struct(String name, List<Column> fields) {
    return new Column(name, ColumnType.STRUCT, 0, 0, null, fields);
  }

  /** A list column whose elements are of {@code element}'s type (its name is replaced). */
  public static Column list(String name, Column element) {
    return new Column(name, ColumnType.LIST, 0, 0, null, List.of(element.named(ELEMENT)));
  }

  /** This column under another name. */
  public Column named(String other) {
    return new Column(other, type, precision, scale, format, fields);
  }

  /** A list's element column. */
  public Column element() {
    return fields.get(0);
  }

  /**
   * Parses a declared column: {@code string|long|double|boolean|timestamp|date|decimal(P,S)}
   * (case-insensitive), with an optional date/time pattern for {@code timestamp} and {@code date};
   * or a nested type, {@code struct<name: type, …>} or {@code list<type>}, up to {@value
   * ColumnTypeGrammar#MAX_DEPTH} levels deep (see {@link ColumnTypeGrammar}).
   *
   * @throws InvalidSinkException when the type or the format is not valid, naming the column
   */
  public static Column declared(ColumnSpec spec) {
    String name = spec.name();
    if (name == null || name.isEmpty()) {
      throw new InvalidSinkException("sink.columns: every column needs a name");
    }
    Column column;
    try {
      column = ColumnTypeGrammar.parse(name, spec.type() == null ? "" : spec.type());
    } catch (IllegalArgumentException e) {
      throw invalid(name, e.getMessage());
    }
    if (spec.format() != null) {
      if (column.type() != ColumnType.TIMESTAMP && column.type() != ColumnType.DATE) {
        throw invalid(name, "format applies only to timestamp and date columns");
      }
      column = new Column(name, column.type(), 0, 0, spec.format(), List.of());
      try {
        DateTimeFormatter.ofPattern(column.format());
      } catch (IllegalArgumentException e) {
        throw invalid(
            name, "format '" + column.format() + "' is not a valid pattern: " + e.getMessage());
      }
    }
    return column;
  }

  /**
   * The type as a pipeline file spells it: {@code long}, {@code decimal(12,2)}, {@code struct<id:
   * long, tags: list<string>>}.
   */
  public String typeName() {
    return switch (type) {
      case DECIMAL -> "decimal(" + precision + "," + scale + ")";
      case STRUCT ->
          fields.stream()
              .map(f -> ColumnTypeGrammar.fieldName(f.name()) + ": " + f.typeName())
              .collect(Collectors.joining(", ", "struct<", ">"));
      case LIST -> "list<" + element().typeName() + ">";
      default -> type.name().toLowerCase(Locale.ROOT);
    };
  }

  /**
   * A decimal column parsed from {@code decimal(P,S)}.
   *
   * @throws IllegalArgumentException when {@code type} is no decimal or its precision or scale is
   *     out of range
   */
  static Column decimal(String name, String type) {
    Matcher m = DECIMAL.matcher(type);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "unknown type '"
              + type
              + "'; expected string, long, double, boolean, timestamp, date, decimal(P,S),"
              + " struct<name: type, …> or list<type>");
    }
    int precision = Integer.parseInt(m.group(1));
    int scale = Integer.parseInt(m.group(2));
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
      throw new IllegalArgumentException(
          "decimal precision must be 1 to " + MAX_DECIMAL_PRECISION + ", not " + precision);
    }
    if (scale > precision) {
      throw new IllegalArgumentException(
          "decimal scale " + scale + " exceeds its precision " + precision);
    }
    return new Column(name, ColumnType.DECIMAL, precision, scale, null, List.of());
  }

  private static InvalidSinkException invalid(String column, String problem) {
    return new InvalidSinkException("sink.columns '" + column + "': " + problem);
  }
}
