package dev.sluice.activities.parquet;

/**
 * The value types a staged Parquet column can have; each maps to one Parquet physical/logical type.
 */
public enum ColumnType {
  /** UTF-8 text: {@code BINARY (STRING)}. */
  STRING,
  /** 64-bit integer: {@code INT64}. */
  LONG,
  /** 64-bit float: {@code DOUBLE}. */
  DOUBLE,
  /** {@code BOOLEAN}. */
  BOOLEAN,
  /** An instant: {@code INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true)}. */
  TIMESTAMP,
  /** A calendar date: {@code INT32 DATE}. */
  DATE,
  /**
   * Exact decimal: {@code DECIMAL(P,S)} on {@code INT64} up to 18 digits, else fixed-length bytes.
   */
  DECIMAL,
  /**
   * Named fields, each of its own type: an optional group. Its fields are {@link Column#fields()}.
   */
  STRUCT,
  /**
   * Values of one type: the standard three-level {@code LIST} group ({@code <name> (LIST) {
   * repeated group list { optional <element> element } }}), which Spark, DuckDB and Arrow read as
   * a list. Its element is the one {@link Column#fields()} entry, named {@code element}.
   */
  LIST;

  /** Whether values of this type are made of other values (a struct or a list). */
  public boolean nested() {
    return this == STRUCT || this == LIST;
  }
}
