package dev.sluice.activities.parquet;

import dev.sluice.pipeline.ColumnSpec;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One column of a staged Parquet file. It travels in {@link ParquetStagingWriter.WriterState}, so
 * every file of a run, across attempts, gets the same schema.
 *
 * @param name column name as the source names it (kept verbatim in the Parquet schema)
 * @param type value type
 * @param precision total digits of a {@link ColumnType#DECIMAL} (1–38), 0 for other types
 * @param scale digits after the point of a {@link ColumnType#DECIMAL}, 0 for other types
 * @param format {@link DateTimeFormatter} pattern of a TIMESTAMP or DATE column, or null for
 *     ISO-8601
 */
public record Column(String name, ColumnType type, int precision, int scale, String format) {
  /** The largest decimal precision Parquet readers commonly support. */
  public static final int MAX_DECIMAL_PRECISION = 38;

  private static final Pattern DECIMAL =
      Pattern.compile("decimal\\s*\\(\\s*(\\d{1,3})\\s*,\\s*(\\d{1,3})\\s*\\)");

  public Column {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  /** A column of {@code type} with no precision, scale or format. */
  public static Column of(String name, ColumnType type) {
    return new Column(name, type, 0, 0, null);
  }

  /**
   * Parses a declared column: {@code string|long|double|boolean|timestamp|date|decimal(P,S)}
   * (case-insensitive), with an optional date/time pattern for {@code timestamp} and {@code date}.
   *
   * @throws InvalidSinkException when the type or the format is not valid, naming the column
   */
  public static Column declared(ColumnSpec spec) {
    String name = spec.name();
    if (name == null || name.isEmpty()) {
      throw new InvalidSinkException("sink.columns: every column needs a name");
    }
    String type = spec.type() == null ? "" : spec.type().trim().toLowerCase(Locale.ROOT);
    Column column =
        switch (type) {
          case "string" -> of(name, ColumnType.STRING);
          case "long" -> of(name, ColumnType.LONG);
          case "double" -> of(name, ColumnType.DOUBLE);
          case "boolean" -> of(name, ColumnType.BOOLEAN);
          case "timestamp" -> new Column(name, ColumnType.TIMESTAMP, 0, 0, spec.format());
          case "date" -> new Column(name, ColumnType.DATE, 0, 0, spec.format());
          default -> decimal(name, type);
        };
    if (spec.format() != null && column.format() == null) {
      throw invalid(name, "format applies only to timestamp and date columns");
    }
    if (column.format() != null) {
      try {
        DateTimeFormatter.ofPattern(column.format());
      } catch (IllegalArgumentException e) {
        throw invalid(
            name, "format '" + column.format() + "' is not a valid pattern: " + e.getMessage());
      }
    }
    return column;
  }

  /** The type as a pipeline file spells it: {@code long}, {@code decimal(12,2)}. */
  public String typeName() {
    return type == ColumnType.DECIMAL
        ? "decimal(" + precision + "," + scale + ")"
        : type.name().toLowerCase(Locale.ROOT);
  }

  private static Column decimal(String name, String type) {
    Matcher m = DECIMAL.matcher(type);
    if (!m.matches()) {
      throw invalid(
          name,
          "unknown type '"
              + type
              + "'; expected string, long, double, boolean, timestamp, date"
              + " or decimal(P,S)");
    }
    int precision = Integer.parseInt(m.group(1));
    int scale = Integer.parseInt(m.group(2));
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION) {
      throw invalid(
          name, "decimal precision must be 1 to " + MAX_DECIMAL_PRECISION + ", not " + precision);
    }
    if (scale > precision) {
      throw invalid(name, "decimal scale " + scale + " exceeds its precision " + precision);
    }
    return new Column(name, ColumnType.DECIMAL, precision, scale, null);
  }

  private static InvalidSinkException invalid(String column, String problem) {
    return new InvalidSinkException("sink.columns '" + column + "': " + problem);
  }
}
