package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.ParquetSink;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NestedColumnsTest {
  private static final String RUN = "ingest_orders_2026-01-01T00-00-00Z";

  @TempDir Path dir;
  private final HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "list<string>|list<string>",
        "STRUCT< a : string,b:LONG >|struct<a: string, b: long>",
        "list<struct<id: long, tags: list<string>>>|list<struct<id: long, tags: list<string>>>",
        "struct<amount: decimal(12, 2), at: timestamp>|struct<amount: decimal(12,2), at: timestamp>",
        "struct<`a:b`: date, `x y`: boolean>|struct<`a:b`: date, x y: boolean>",
      })
  void givenNestedTypeText_whenDeclared_thenParsedAndWrittenBackTheSameWay(
      String text, String canonical) {
    Column column = Column.declared(new ColumnSpec("c", text, null));

    assertThat(column.typeName()).isEqualTo(canonical);
    assertThat(Column.declared(new ColumnSpec("c", canonical, null))).isEqualTo(column);
  }

  @Test
  void givenStructOfList_whenDeclared_thenFieldsAndElementAreColumns() {
    Column column =
        Column.declared(new ColumnSpec("order", "struct<id: long, lines: list<double>>", null));

    assertThat(column.type()).isEqualTo(ColumnType.STRUCT);
    assertThat(column.fields()).extracting(Column::name).containsExactly("id", "lines");
    Column lines = column.fields().get(1);
    assertThat(lines.type()).isEqualTo(ColumnType.LIST);
    assertThat(lines.element()).isEqualTo(Column.of(Column.ELEMENT, ColumnType.DOUBLE));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "list<int>|unknown type 'int'",
        "list<string|expected '>'",
        "struct<>|a struct field needs a name",
        "struct<a string>|expected ':'",
        "struct<a: long, a: string>|struct field 'a' appears twice",
        "struct<a: decimal(40,2)>|decimal precision must be 1 to 38",
        "list<string> x|unexpected 'x'",
        "list<list<list<list<list<list<list<list<list<long>>>>>>>>>|nested deeper than 8 levels",
      })
  void givenBadNestedType_whenDeclared_thenErrorNamesColumnAndProblem(String type, String problem) {
    assertThatThrownBy(() -> Column.declared(new ColumnSpec("payload", type, null)))
        .isInstanceOf(InvalidSinkException.class)
        .hasMessageContaining("sink.columns 'payload'")
        .hasMessageContaining(problem);
  }

  @Test
  void givenObjectsAndArraysInTheSample_whenInferred_thenStructsAndListsOfEveryKeySeen() {
    List<Object[]> sample =
        List.of(
            row(map("id", 1L, "tags", List.of("a")), List.of(map("sku", "X", "qty", 1L))),
            row(map("id", 2L, "note", "n", "tags", List.of()), List.of(map("qty", 2.5))),
            row(null, List.of()));

    List<Column> schema = SchemaInference.infer(List.of("customer", "lines"), sample, Map.of());

    assertThat(schema)
        .extracting(Column::typeName)
        .containsExactly(
            "struct<id: long, tags: list<string>, note: string>",
            "list<struct<sku: string, qty: double>>");
  }

  @Test
  void givenShapesThatDoNotAgree_whenInferred_thenTheyAreKeptAsText() {
    List<Object[]> sample =
        List.of(
            row(map("a", 1L), map("empty", map()), List.of(List.of(1L))),
            row(7L, map("empty", null), List.of(map("x", 1L))));

    List<Column> schema = SchemaInference.infer(List.of("mixed", "s", "l"), sample, Map.of());

    assertThat(schema)
        .extracting(Column::typeName)
        .containsExactly("string", "struct<empty: string>", "list<string>");
  }

  @Test
  void givenNestedValues_whenWritten_thenParquetsOwnReaderReadsStandardStructsAndLists()
      throws IOException {
    WriterState state;
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(
            files,
            sink(new ColumnSpec("scores", "list<long>", null)),
            staging(),
            RUN,
            null,
            null)) {
      writer.columns(List.of("id", "customer", "lines", "scores"));
      writer.record(
          row(
              1L,
              map("name", "Zoë", "address", map("city", "Oslo")),
              List.of(map("sku", "A", "qty", 2L), map("sku", "B", "qty", 1L)),
              "[1, null, 3]"));
      writer.record(row(2L, map("name", null), List.of(), null));
      writer.record(row(3L, null, null, Arrays.asList(4L, null)));
      state = writer.finish();
    }

    Path file = dir.resolve("staging").resolve(state.files().get(0));
    MessageType schema = StagedParquet.schema(file);
    GroupType lines = schema.getType("lines").asGroupType();
    assertThat(lines.getLogicalTypeAnnotation()).isEqualTo(LogicalTypeAnnotation.listType());
    assertThat(lines.getType(0).isRepetition(Type.Repetition.REPEATED)).isTrue();
    assertThat(lines.getType(0).getName()).isEqualTo("list");
    assertThat(lines.getType(0).asGroupType().getType(0).getName()).isEqualTo("element");
    assertThat(schema.getType("customer").asGroupType().getFieldCount()).isEqualTo(2);

    List<Map<String, Object>> rows = read(file);
    assertThat(rows.get(0))
        .containsEntry("customer", map("name", "Zoë", "address", map("city", "Oslo")))
        .containsEntry(
            "lines", List.of(map("sku", "A", "qty", 2L), map("sku", "B", "qty", 1L)))
        .containsEntry("scores", Arrays.asList(1L, null, 3L));
    assertThat(rows.get(1))
        .containsEntry("customer", map("name", null, "address", null))
        .containsEntry("lines", List.of())
        .containsEntry("scores", null);
    assertThat(rows.get(2)).containsEntry("customer", null).containsEntry("lines", null);
    assertThat(rows.get(2)).containsEntry("scores", Arrays.asList(4L, null));
  }

  @Test
  void givenNestedSchema_whenTheStateCrossesTheDataConverter_thenItIsTheSame() {
    Column column =
        Column.declared(new ColumnSpec("c", "list<struct<id: long, at: timestamp>>", null));
    WriterState state = new WriterState(List.of("f"), 1, 2, null, List.of(column));
    var converter = DefaultDataConverter.STANDARD_INSTANCE;

    WriterState back =
        converter.fromPayload(
            converter.toPayload(state).orElseThrow(), WriterState.class, WriterState.class);

    assertThat(back).isEqualTo(state);
  }

  @Test
  void givenAKeyTheStructDoesNotHave_whenWritten_thenMismatchNamesColumnAndKey() {
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(
            files, sink(new ColumnSpec("c", "struct<a: long>", null)), staging(), RUN, null, null)) {
      writer.columns(List.of("c"));
      writer.record(row(map("a", 1L, "b", 2L)));

      assertThatThrownBy(writer::finish)
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("column 'c' of type struct<a: long>")
          .hasMessageContaining("field 'b' is not one of struct<a: long>");
    }
  }

  @Test
  void givenStructFieldsFirstSeenMidRun_whenWritten_thenTheNextFileHasTheWiderStructs()
      throws IOException {
    WriterState state;
    try (ParquetStagingWriter writer = inferringFromOne()) {
      writer.columns(List.of("id", "customer", "lines"));
      writer.record(row(1L, map("name", "A"), List.of(map("sku", "A"))));
      writer.record(row(2L, map("name", "B", "tier", 3L), List.of(map("sku", "B", "qty", 2L))));
      writer.record(row(3L, map("name", "C", "tier", null), List.of()));
      state = writer.finish();
    }

    assertThat(state.files()).containsExactly(PartFiles.name(RUN, 0), PartFiles.name(RUN, 1));
    assertThat(state.schema())
        .extracting(Column::typeName)
        .containsExactly(
            "long", "struct<name: string, tier: long>", "list<struct<sku: string, qty: long>>");
    Path first = dir.resolve("staging").resolve(state.files().get(0));
    Path second = dir.resolve("staging").resolve(state.files().get(1));
    assertThat(TableSchema.describe(StagedParquet.schema(first).getType("customer")))
        .isEqualTo("struct<name: string>");
    assertThat(read(first)).extracting(r -> r.get("id")).containsExactly(1L);
    assertThat(read(second))
        .extracting(r -> r.get("customer"), r -> r.get("lines"))
        .containsExactly(
            tuple(map("name", "B", "tier", 3L), List.of(map("sku", "B", "qty", 2L))),
            tuple(map("name", "C", "tier", null), List.of()));
  }

  @Test
  void givenAStructFieldAddedMidRun_whenALaterValueHasAnotherType_thenMismatchNamesBothTypes() {
    try (ParquetStagingWriter writer = inferringFromOne()) {
      writer.columns(List.of("customer"));
      writer.record(row(map("name", "A")));
      writer.record(row(map("name", "B", "tier", 3L)));
      writer.record(row(map("name", "C", "tier", "gold")));

      assertThatThrownBy(writer::finish)
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("Record 3")
          .hasMessageContaining("(struct) does not fit column 'customer'")
          .hasMessageContaining("struct<name: string, tier: long>")
          .hasMessageContaining("field 'tier'");
    }
  }

  /** A writer whose schema is fixed from the first record. */
  private ParquetStagingWriter inferringFromOne() {
    ParquetSink sink =
        new ParquetSink(
            dir.resolve("table").toUri().toString(), "append", "snappy", "128MB", List.of(), 1);
    return new ParquetStagingWriter(files, sink, staging(), RUN, null, null);
  }

  @Test
  void givenAStructAsWatermarkColumn_whenTheSchemaIsFixed_thenRefusedAsUnordered() {
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(
            files, sink(new ColumnSpec("c", "struct<a: long>", null)), staging(), RUN, "c", null)) {
      writer.columns(List.of("c"));
      writer.record(row(map("a", 1L)));

      assertThatThrownBy(writer::finish)
          .isInstanceOf(InvalidSinkException.class)
          .hasMessage(
              "incremental.column 'c' is a struct<a: long>, which has no order; a watermark"
                  + " column needs a scalar type");
    }
  }

  @Test
  void givenObjectInAStringColumn_whenWritten_thenItIsItsJsonText() throws IOException {
    WriterState state;
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(
            files, sink(new ColumnSpec("c", "string", null)), staging(), RUN, null, null)) {
      writer.columns(List.of("c"));
      writer.record(row(map("a", 1L, "b", List.of("x"))));
      state = writer.finish();
    }

    assertThat(StagedParquet.rows(dir.resolve("staging").resolve(state.files().get(0))))
        .containsExactly(Map.of("c", "{\"a\":1,\"b\":[\"x\"]}"));
  }

  @Test
  void givenNestedColumns_whenParquetSchemaIsPrinted_thenItParsesBackEqual() {
    MessageType schema =
        ParquetSchema.of(
            List.of(
                Column.declared(
                    new ColumnSpec("c", "struct<a: list<decimal(20,2)>, b: date>", null))));

    assertThat(MessageTypeParser.parseMessageType(schema.toString())).isEqualTo(schema);
  }

  private ParquetSink sink(ColumnSpec... columns) {
    return new ParquetSink(
        dir.resolve("table").toUri().toString(), "append", "snappy", "128MB", List.of(columns), 10);
  }

  private String staging() {
    return dir.resolve("staging").toUri().toString();
  }

  private static Object[] row(Object... values) {
    return values;
  }

  /** An ordered map that may hold nulls. */
  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** Rows as column → value, structs as maps and lists as lists, read by parquet-java. */
  private static List<Map<String, Object>> read(Path file) throws IOException {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (ParquetReader<Group> reader =
        ParquetReader.builder(
                new GroupReadSupport(), new org.apache.hadoop.fs.Path(file.toUri()))
            .withConf(new Configuration())
            .build()) {
      for (Group group = reader.read(); group != null; group = reader.read()) {
        rows.add(struct(group));
      }
    }
    return rows;
  }

  private static Map<String, Object> struct(Group group) {
    Map<String, Object> out = new HashMap<>();
    List<Type> fields = group.getType().getFields();
    for (int i = 0; i < fields.size(); i++) {
      out.put(fields.get(i).getName(), group.getFieldRepetitionCount(i) == 0 ? null : value(group, i));
    }
    return out;
  }

  private static Object value(Group group, int i) {
    Type type = group.getType().getType(i);
    if (type.isPrimitive()) {
      return switch (type.asPrimitiveType().getPrimitiveTypeName()) {
        case INT64 -> group.getLong(i, 0);
        case DOUBLE -> group.getDouble(i, 0);
        case BINARY -> group.getString(i, 0);
        default -> group.getValueToString(i, 0);
      };
    }
    Group nested = group.getGroup(i, 0);
    if (!LogicalTypeAnnotation.listType().equals(type.getLogicalTypeAnnotation())) {
      return struct(nested);
    }
    List<Object> list = new ArrayList<>();
    for (int k = 0; k < nested.getFieldRepetitionCount(0); k++) {
      Group item = nested.getGroup(0, k);
      list.add(item.getFieldRepetitionCount(0) == 0 ? null : value(item, 0));
    }
    return list;
  }
}
