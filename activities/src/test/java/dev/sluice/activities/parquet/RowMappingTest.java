package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;

class RowMappingTest {

  @Test
  void givenWiderTargetTypes_whenMapped_thenValuesAreConvertedByName() {
    MessageType source =
        Types.buildMessage()
            .optional(PrimitiveTypeName.INT32)
            .named("n")
            .optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MILLIS))
            .named("at")
            .optional(PrimitiveTypeName.DOUBLE)
            .named("score")
            .optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.decimalType(2, 10))
            .named("price")
            .named("old");
    MessageType target =
        Types.buildMessage()
            .optional(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("price")
            .optional(PrimitiveTypeName.INT64)
            .named("n")
            .optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS))
            .named("at")
            .optional(PrimitiveTypeName.BINARY)
            .as(LogicalTypeAnnotation.stringType())
            .named("score")
            .optional(PrimitiveTypeName.BOOLEAN)
            .named("added")
            .named("new");

    Object[] row =
        RowMapping.between(source, target, null).apply(new Object[] {7, 1_500L, 2.5, 1999L});

    assertThat(row)
        .containsExactly(
            Binary.fromString("19.99"), 7L, 1_500_000L, Binary.fromString("2.5"), null);
  }

  @Test
  void givenNarrowerTargetOrDroppedColumn_whenARowHasAValueThere_thenSchemaMismatchNamesIt() {
    MessageType source =
        Types.buildMessage()
            .optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS))
            .named("at")
            .optional(PrimitiveTypeName.INT64)
            .named("gone")
            .named("old");
    MessageType target =
        Types.buildMessage()
            .optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, TimeUnit.MILLIS))
            .named("at")
            .named("new");
    RowMapping mapping = RowMapping.between(source, target, null);

    assertThat(mapping.apply(new Object[] {null, null})).containsExactly((Object) null);
    assertThatThrownBy(() -> mapping.apply(new Object[] {1L, null}))
        .isInstanceOfSatisfying(
            SchemaMismatchException.class, e -> assertThat(e.column()).isEqualTo("at"))
        .hasMessageContaining(
            "is timestamp (micros) but this run's data has it as timestamp (millis)");
    assertThatThrownBy(() -> mapping.apply(new Object[] {null, 5L}))
        .isInstanceOfSatisfying(
            SchemaMismatchException.class, e -> assertThat(e.column()).isEqualTo("gone"))
        .hasMessageContaining("declare the column in sink.columns");
  }
}
