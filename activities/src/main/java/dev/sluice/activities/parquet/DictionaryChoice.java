package dev.sluice.activities.parquet;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which columns to write without a dictionary: those whose values are mostly distinct in the rows
 * that typed the schema (ids, e-mail addresses, timestamps). parquet-java would build and probe a
 * dictionary for them, then fall back to plain encoding at the first page anyway; measured (see
 * notes/performance-baselines.md and docs/performance.md) that is a tenth of the encoding time for
 * no smaller file. Only the encoding changes, never a value.
 */
final class DictionaryChoice {
  /** Below this many non-null sample values a column keeps its dictionary: too little to judge. */
  static final int MIN_SAMPLE = 100;

  private DictionaryChoice() {}

  /**
   * Names of the flat columns of {@code schema} whose non-null values in {@code rows} are more than
   * half distinct.
   *
   * @param sourceIndex schema column → index in the rows, or -1
   */
  static Set<String> plainColumns(List<Column> schema, int[] sourceIndex, List<Object[]> rows) {
    Set<String> plain = new LinkedHashSet<>();
    for (int j = 0; j < schema.size(); j++) {
      Column column = schema.get(j);
      int i = sourceIndex == null ? -1 : sourceIndex[j];
      if (i < 0 || column.type().nested() || column.type() == ColumnType.BOOLEAN) {
        continue;
      }
      Set<Object> distinct = new HashSet<>();
      int values = 0;
      for (Object[] row : rows) {
        Object value = i < row.length ? row[i] : null;
        if (value != null) {
          values++;
          distinct.add(value);
        }
      }
      if (values >= MIN_SAMPLE && distinct.size() * 2 > values) {
        plain.add(column.name());
      }
    }
    return plain;
  }
}
