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
  DECIMAL
}
