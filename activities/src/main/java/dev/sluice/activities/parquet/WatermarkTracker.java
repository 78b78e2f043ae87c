package dev.sluice.activities.parquet;

import java.math.BigDecimal;
import java.util.List;

/**
 * The maximum of the watermark column, compared as the column's type but kept as the source's own
 * text, so the provider sees its own format in the next run's query.
 */
final class WatermarkTracker {
  private final ValueWriter type;
  private Comparable<Object> max;

  /** The source value of the maximum: its text is made when asked ({@link #max()}), not per row. */
  private Object maxSource;

  /**
   * @param resumedMax the maximum of an earlier attempt (its source text), or null
   */
  WatermarkTracker(ValueWriter type, String resumedMax) {
    this.type = type;
    if (resumedMax != null) {
      offer(resumedMax);
    }
  }

  /**
   * The index of the watermark column {@code name} in {@code columns}.
   *
   * @throws SchemaMismatchException when it is not there (after {@code records} records)
   * @throws InvalidSinkException when it is a struct or a list, which have no order
   */
  static int indexIn(List<Column> columns, String name, long records) {
    int index = SchemaInference.indexOf(columns, name);
    if (index < 0) {
      throw SchemaMismatchException.forMissingWatermark(name, records);
    }
    if (columns.get(index).type().nested()) {
      throw new InvalidSinkException(
          "incremental.column '"
              + name
              + "' is a "
              + columns.get(index).typeName()
              + ", which has no order; a watermark column needs a scalar type");
    }
    return index;
  }

  /** Considers one non-null value; it must already have been converted once without error. */
  void offer(Object value) {
    offer(type.typed(value), value);
  }

  /** As {@link #offer(Object)}, with the value already converted by this column's writer. */
  @SuppressWarnings("unchecked")
  void offer(Comparable<?> converted, Object value) {
    Comparable<Object> typed = (Comparable<Object>) converted;
    if (max == null || typed.compareTo(max) > 0) {
      max = typed;
      maxSource = value;
    }
  }

  /** The source text of the maximum, or null when no value was seen. */
  String max() {
    if (maxSource == null) {
      return null;
    }
    return maxSource instanceof BigDecimal d ? d.toPlainString() : maxSource.toString();
  }
}
