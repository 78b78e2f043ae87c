package dev.sluice.activities.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DictionaryChoiceTest {
  private static final List<Column> SCHEMA =
      List.of(
          Column.of("Id", ColumnType.STRING),
          Column.of("Country", ColumnType.STRING),
          Column.of("Modified", ColumnType.TIMESTAMP),
          Column.of("Active", ColumnType.BOOLEAN),
          Column.of("Rare", ColumnType.STRING),
          Column.of("Missing", ColumnType.STRING));

  @Test
  void mostlyDistinctColumnsAreWrittenWithoutADictionary() {
    List<Object[]> rows = new ArrayList<>();
    for (int r = 0; r < 1000; r++) {
      rows.add(
          new Object[] {
            "id-" + r,
            r % 3 == 0 ? "FR" : "DE",
            "2026-01-01T00:00:" + (r % 60) + "." + r + "Z",
            r % 2 == 0 ? "true" : "false",
            r < 50 ? "only-" + r : null // distinct, but too few values to judge
          });
    }
    // Rows are indexed like the parser's columns; "Missing" is not among them.
    int[] sourceIndex = {0, 1, 2, 3, 4, -1};
    assertEquals(
        Set.of("Id", "Modified"), DictionaryChoice.plainColumns(SCHEMA, sourceIndex, rows));
  }

  @Test
  void withoutASampleEveryColumnKeepsItsDictionary() {
    assertEquals(Set.of(), DictionaryChoice.plainColumns(SCHEMA, new int[6], List.of()));
  }
}
