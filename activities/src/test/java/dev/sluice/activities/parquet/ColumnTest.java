package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.ColumnSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ColumnTest {

  @ParameterizedTest
  @CsvSource({
    "string, STRING",
    "LONG, LONG",
    "double, DOUBLE",
    "boolean, BOOLEAN",
    "timestamp, TIMESTAMP",
    "date, DATE"
  })
  void givenPlainTypeName_whenDeclared_thenTypeIsParsedCaseInsensitively(
      String name, ColumnType type) {
    assertThat(Column.declared(new ColumnSpec("c", name, null))).isEqualTo(Column.of("c", type));
  }

  @Test
  void givenDecimalWithPrecisionAndScale_whenDeclared_thenBothAreKept() {
    Column column = Column.declared(new ColumnSpec("amount", "decimal( 12 , 2 )", null));

    assertThat(column).isEqualTo(new Column("amount", ColumnType.DECIMAL, 12, 2, null, java.util.List.of()));
    assertThat(column.typeName()).isEqualTo("decimal(12,2)");
  }

  @Test
  void givenTimestampWithPattern_whenDeclared_thenFormatIsKept() {
    assertThat(Column.declared(new ColumnSpec("t", "timestamp", "dd/MM/yyyy HH:mm")).format())
        .isEqualTo("dd/MM/yyyy HH:mm");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "int|unknown type 'int'",
        "decimal|unknown type 'decimal'",
        "decimal(39,2)|precision must be 1 to 38",
        "decimal(4,5)|scale 5 exceeds its precision 4",
      })
  void givenInvalidType_whenDeclared_thenErrorNamesColumnAndProblem(String type, String problem) {
    assertThatThrownBy(() -> Column.declared(new ColumnSpec("price", type, null)))
        .isInstanceOf(InvalidSinkException.class)
        .hasMessageContaining("sink.columns 'price'")
        .hasMessageContaining(problem);
  }

  @Test
  void givenFormatOnNonTemporalColumn_whenDeclared_thenRejected() {
    assertThatThrownBy(() -> Column.declared(new ColumnSpec("n", "long", "yyyy")))
        .isInstanceOf(InvalidSinkException.class)
        .hasMessageContaining("format applies only to timestamp and date");
  }

  @Test
  void givenInvalidPattern_whenDeclared_thenRejected() {
    assertThatThrownBy(() -> Column.declared(new ColumnSpec("d", "date", "yyyy-MM-dd{")))
        .isInstanceOf(InvalidSinkException.class)
        .hasMessageContaining("is not a valid pattern");
  }
}
