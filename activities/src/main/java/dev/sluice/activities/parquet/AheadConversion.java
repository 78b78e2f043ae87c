package dev.sluice.activities.parquet;

/**
 * Converts parsed rows to the physical values Parquet stores ({@link ValueWriter#physical}), in
 * schema order, on the parser's thread while the writer thread is behind with earlier batches, so
 * that the writer only hands them to parquet-java. For CSV the writer thread is the longer of the
 * two (docs/performance.md, section 0): without this the parser would wait for it.
 *
 * <p>A converted row holds, per schema column, null (no value: absent, null, or empty text in a
 * typed column), the physical value, or, for a {@link #keeps kept} column (a struct or a list),
 * the source value as parsed, which the writer converts as before. The watermark column holds a
 * {@link Watermark}: its maximum keeps the source's text, and the window's range reads it.
 *
 * <p>A value that does not convert stops the batch's conversion there ({@link #convert} returns
 * null): that row and the ones after it stay as parsed, and the writer thread reports the value,
 * with its record number, as it always has. Safe to use from another thread than the writer's: it
 * only reads final state and the stateless scalar {@link ValueWriter}s it shares with {@link
 * RowWriteSupport}.
 */
final class AheadConversion {
  private final ValueWriter[] writers;
  private final boolean[] emptyIsNull;
  private final boolean[] kept;
  private final int watermarkIndex;

  /**
   * Per schema column: its writer, whether it reads empty text as null, whether it is kept; and
   * the schema index of the watermark column, or -1.
   */
  AheadConversion(
      ValueWriter[] writers, boolean[] emptyIsNull, boolean[] kept, int watermarkIndex) {
    this.writers = writers;
    this.emptyIsNull = emptyIsNull;
    this.kept = kept;
    this.watermarkIndex = watermarkIndex;
  }

  /** A watermark value converted ahead: its physical and typed values, and the parsed one. */
  record Watermark(Object physical, Comparable<?> typed, Object source) {}

  /** The parsed value of a converted row's watermark column (a {@link Watermark} or null). */
  static Object source(Object converted) {
    return converted == null ? null : ((Watermark) converted).source();
  }

  /** Whether column {@code j} of a converted row holds the source value, not a physical one. */
  boolean keeps(int j) {
    return kept[j];
  }

  /**
   * The converted row, or null when a value does not convert.
   *
   * @param sourceIndex schema column → index in the parsed row, or -1
   */
  Object[] convert(Object[] row, int[] sourceIndex) {
    Object[] converted = new Object[writers.length];
    for (int j = 0; j < writers.length; j++) {
      int i = sourceIndex[j];
      Object value = i >= 0 && i < row.length ? row[i] : null;
      if (value == null || (emptyIsNull[j] && value instanceof String s && s.isEmpty())) {
        continue;
      }
      if (kept[j]) {
        converted[j] = value;
        continue;
      }
      try {
        Object physical = writers[j].physical(value);
        converted[j] =
            j == watermarkIndex
                ? new Watermark(physical, writers[j].typed(value, physical), value)
                : physical;
      } catch (RuntimeException e) { // the writer thread meets it again and reports it
        return null;
      }
    }
    return converted;
  }
}
