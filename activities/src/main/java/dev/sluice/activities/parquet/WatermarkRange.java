package dev.sluice.activities.parquet;

/**
 * The watermark range a window owns, {@code (from, to]}, compared as the watermark column's type:
 * rows outside it belong to other windows and are dropped before they are written, so a provider
 * that ignores the range cannot duplicate another window's rows. A row without a watermark value
 * cannot be placed and is kept.
 */
public final class WatermarkRange {
  private final String from;
  private final String to;

  private ValueWriter type;
  private Comparable<Object> lower;
  private Comparable<Object> upper;

  /**
   * @param from exclusive lower bound in the source's text, or null for none
   * @param to inclusive upper bound in the source's text, or null for none (a new window)
   */
  public WatermarkRange(String from, String to) {
    this.from = from;
    this.to = to;
  }

  /** A range that keeps every row. */
  public static WatermarkRange all() {
    return new WatermarkRange(null, null);
  }

  /** Whether any row can be dropped. */
  boolean bounded() {
    return from != null || to != null;
  }

  /**
   * Fixes the column type the bounds are compared as.
   *
   * @throws InvalidSinkException when a bound is not a value of that type
   */
  @SuppressWarnings("unchecked")
  void compareAs(Column column) {
    type = ValueWriter.forColumn(column);
    lower = from == null ? null : (Comparable<Object>) typed(column, from, "lower");
    upper = to == null ? null : (Comparable<Object>) typed(column, to, "upper");
  }

  private Comparable<?> typed(Column column, String bound, String which) {
    try {
      return type.typed(bound);
    } catch (RuntimeException e) {
      throw new InvalidSinkException(
          "the window's "
              + which
              + " watermark bound '"
              + bound
              + "' is not a value of watermark column "
              + column.name()
              + " ("
              + column.type()
              + "): check incremental.initial and the column's declared type and format; "
              + e.getMessage());
    }
  }

  /**
   * Whether a row whose watermark is {@code value} belongs to the window. Null or empty: kept.
   *
   * A value not of the column's type is kept, so the writer reports it with its row and column.
   */
  boolean keeps(Object value) {
    if (value == null || (value instanceof String s && s.isEmpty())) {
      return true;
    }
    Comparable<Object> typed;
    try {
      @SuppressWarnings("unchecked")
      Comparable<Object> t = (Comparable<Object>) type.typed(value);
      typed = t;
    } catch (RuntimeException e) {
      return true; // written, where the writer reports it with its row and column
    }
    return (lower == null || typed.compareTo(lower) > 0)
        && (upper == null || typed.compareTo(upper) <= 0);
  }

  /**
   * {@link #keeps(Object)} of a watermark converted ahead ({@link AheadConversion}): the same
   * answer, from the typed value the parser's thread already has, so the writer thread does not
   * convert the source text a second time. Null (no value) is kept.
   */
  @SuppressWarnings("unchecked")
  boolean keepsConverted(AheadConversion.Watermark watermark) {
    if (watermark == null
        || watermark.source() == null
        || (watermark.source() instanceof String s && s.isEmpty())) {
      return true;
    }
    Comparable<Object> typed = (Comparable<Object>) watermark.typed();
    return (lower == null || typed.compareTo(lower) > 0)
        && (upper == null || typed.compareTo(upper) <= 0);
  }
}
