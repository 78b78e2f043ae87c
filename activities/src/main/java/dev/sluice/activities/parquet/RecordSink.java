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
   * objects/arrays arrive as their JSON text (String). A sink that {@link #takesUtf8Text takes
   * UTF-8 text} may also receive {@link Utf8Text} from CSV, and from NDJSON for string values,
   * where it would receive a non-empty String. The array is owned by the sink after the call.
   */
  void record(Object[] values);

  /**
   * Whether {@link #record} accepts {@link Utf8Text} values in place of non-empty Strings, so a
   * UTF-8 parser can hand over the page's bytes without decoding them (header rows and {@link
   * #columns} stay Strings). Default false: a sink says yes only once every consumer of its values
   * handles both.
   */
  default boolean takesUtf8Text() {
    return false;
  }
}
