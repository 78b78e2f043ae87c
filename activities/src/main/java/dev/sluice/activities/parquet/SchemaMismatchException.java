package dev.sluice.activities.parquet;

/**
 * A value or a column does not fit the schema of the staged files. Retrying reads the same data:
 * callers report it as {@code FailureType.SCHEMA_MISMATCH.type()}. The message names the column, the
 * record and the fix.
 */
public class SchemaMismatchException extends RuntimeException {
  private static final int MAX_VALUE_CHARS = 80;
  private static final String FIX =
      " Declare the column with a type every value fits in sink.columns (for example"
          + " {name: %s, type: string}).";

  private final String column;
  private final long recordNumber;

  private SchemaMismatchException(
      String message, String column, long recordNumber, Throwable cause) {
    super(message, cause);
    this.column = column;
    this.recordNumber = recordNumber;
  }

  /** A value that cannot be converted to its column's type. */
  static SchemaMismatchException forValue(
      Column column, long recordNumber, Object value, Exception cause) {
    String reason =
        cause instanceof IllegalArgumentException && !(cause instanceof NumberFormatException)
            ? " (" + cause.getMessage() + ")"
            : "";
    return new SchemaMismatchException(
        "Record "
            + recordNumber
            + ": value "
            + quote(value)
            + readAs(value)
            + " does not fit column '"
            + column.name()
            + "' of type "
            + column.typeName()
            + reason
            + "."
            + String.format(FIX, column.name()),
        column.name(),
        recordNumber,
        cause);
  }

  /** The watermark column is not among the columns of the data. */
  static SchemaMismatchException forMissingWatermark(String column, long recordNumber) {
    return new SchemaMismatchException(
        "Record "
            + recordNumber
            + ": the watermark column '"
            + column
            + "' is not among the"
            + " columns of the data. Check incremental.column, or declare it in sink.columns.",
        column,
        recordNumber,
        null);
  }

  /**
   * A row deferred by an earlier run cannot be carried into this run's schema ({@code
   * ParquetSinkActivities.applyDeferral}); its record number is 0 (it is not a record of this run).
   *
   * @param problem what does not fit, naming the column and the fix
   */
  static SchemaMismatchException forDeferredColumn(String column, String problem) {
    return new SchemaMismatchException("defer: " + problem + ".", column, 0, null);
  }

  /**
   * A run's files do not fit the table's schema ({@code TableSchema}); the record number is 0 (it
   * is about columns, not one record).
   *
   * @param column the first column whose type differs
   * @param problem every difference, the table and the fix
   */
  public static SchemaMismatchException forTable(String column, String problem) {
    return new SchemaMismatchException(problem + ".", column, 0, null);
  }

  /** The column the failure is about. */
  public String column() {
    return column;
  }

  /** The 1-based number of the offending record, counted over the whole run. */
  public long recordNumber() {
    return recordNumber;
  }

  /** The type the value would have been inferred as, when that names a type. */
  private static String readAs(Object value) {
    ColumnType type = SchemaInference.typeOf(value);
    return type == null ? "" : " (" + type.name().toLowerCase(java.util.Locale.ROOT) + ")";
  }

  private static String quote(Object value) {
    String text = value.toString();
    return text.length() <= MAX_VALUE_CHARS
        ? "'" + text + "'"
        : "'" + text.substring(0, MAX_VALUE_CHARS) + "…' (" + text.length() + " chars)";
  }
}
