package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaInferenceTest {

  @ParameterizedTest
  @CsvSource(
      nullValues = "NULL",
      value = {
        "true, BOOLEAN",
        "False, BOOLEAN",
        "42, LONG",
        "-9223372036854775808, LONG",
        "9223372036854775808, DOUBLE",
        "1.5, DOUBLE",
        "-2e10, DOUBLE",
        "007, STRING",
        "2026-01-01T00:00:00.000Z, TIMESTAMP",
        "2026-01-01T00:00:00Z, TIMESTAMP",
        "2026-01-01T00:00:00.000+0000, TIMESTAMP",
        "2026-01-01T00:00:00, STRING",
        "2026-01-01, DATE",
        "2026-13-01, STRING",
        "NaN, STRING",
        "hello, STRING",
        "'', NULL"
      })
  void givenText_whenTyped_thenNarrowestTypeItFits(String text, ColumnType type) {
    assertThat(SchemaInference.typeOf(text)).isEqualTo(type);
  }

  @ParameterizedTest
  @CsvSource({
    "LONG, DOUBLE, DOUBLE",
    "DOUBLE, LONG, DOUBLE",
    "LONG, BOOLEAN, STRING",
    "DATE, TIMESTAMP, STRING"
  })
  void givenTwoTypes_whenWidened_thenNumbersMergeAndOthersBecomeString(
      ColumnType a, ColumnType b, ColumnType widened) {
    assertThat(SchemaInference.widen(a, b)).isEqualTo(widened);
  }

  @ParameterizedTest
  @CsvSource({"12, LONG", "12.0, DOUBLE", "1E+3, LONG", "123456789012345678901234, DOUBLE"})
  void givenJsonBigDecimal_whenTyped_thenIntegralOnesThatFitAreLong(
      String number, ColumnType type) {
    assertThat(SchemaInference.typeOf(new BigDecimal(number))).isEqualTo(type);
  }

  @Test
  void givenDeclaredAndSampledColumns_whenInferred_thenDeclaredWinAndUnseenDeclaredComeLast() {
    Map<String, Column> declared =
        Map.of(
            "id", Column.of("id", ColumnType.STRING), "extra", Column.of("extra", ColumnType.LONG));
    List<Object[]> sample = List.of(new Object[] {"1", null}, new Object[] {"2"});

    List<Column> schema = SchemaInference.infer(List.of("id", "blank"), sample, declared);

    assertThat(schema)
        .containsExactly(
            Column.of("id", ColumnType.STRING),
            Column.of("blank", ColumnType.STRING),
            Column.of("extra", ColumnType.LONG));
  }
}
