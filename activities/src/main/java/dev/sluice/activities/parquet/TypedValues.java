package dev.sluice.activities.parquet;

import java.util.function.Function;

/**
 * A column's values as the writer types them: micros since the epoch for a timestamp, days for a
 * date, {@code BigDecimal} at the column's scale, {@code Long}, {@code Double}, {@code Boolean},
 * {@code String}; what table formats compute partitions from.
 */
public final class TypedValues {
  private TypedValues() {}

  /**
   * The typing function of {@code column}'s values (not null).
   *
   * @throws IllegalArgumentException from the function, when a value does not fit the column
   */
  public static Function<Object, Object> of(Column column) {
    ValueWriter writer = ValueWriter.forColumn(column);
    return writer::typed;
  }
}
