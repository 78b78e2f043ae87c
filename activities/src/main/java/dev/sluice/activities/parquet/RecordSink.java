package dev.sluice.activities.parquet;

import java.util.List;

/**
 * Where parsers deliver rows: the column names, then one record at a time. {@link
 * ParquetStagingWriter} is the implementation that types the values and writes Parquet.
 */
public interface RecordSink {
  /**
   * The column names of the records that follow, in order. CSV parsers call it once (header row),
   * and again when a later page's header adds columns at the end; JSON parsers call it again
   * whenever a record introduces a new key — the list only grows (earlier names keep their index).
   */
  void columns(List<String> names);

  /**
   * One record. {@code values[i]} belongs to {@code columns().get(i)}; values may be shorter than
   * the column list (missing = null). Values are String (CSV; null for an empty unquoted field) or,
   * from JSON, String/Long/Double/{@link java.math.BigDecimal}/Boolean/null; nested JSON
   * objects/arrays arrive as their JSON text (String). The array is owned by the sink after the
   * call.
   */
  void record(Object[] values);
}
