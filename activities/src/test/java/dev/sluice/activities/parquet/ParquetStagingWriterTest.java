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
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetStagingWriterTest {
  private static final String RUN = "ingest_contacts_2026-01-01T00-00-00Z";

  @TempDir Path dir;
  private final HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());

  @Test
  void givenCsvPages_whenFinished_thenOneFileHoldsEveryRowWithInferredTypes() throws IOException {
    WriterState state;
    try (ParquetStagingWriter writer = writer(sink("128MB", 3), null, null)) {
      writer.columns(List.of("id", "score", "active", "modified", "born", "name", "zip"));
      writer.record(
          new Object[] {
            "1", "1.5", "true", "2026-01-01T00:00:00.000Z", "1990-05-17", "Zoë", "007"
          });
      writer.record(
          new Object[] {
            "2", "-3", "FALSE", "2026-01-01T00:00:00Z", "2000-01-01", "東京 🚀", "01234"
          });
      assertThat(writer.endPage()).isNull();
      writer.record(new Object[] {"3", null, null, "2026-01-01T01:00:00.000+0100", null, null});
      writer.record(new Object[] {"4", "", "", ""});
      state = writer.finish();
    }

    assertThat(state.files()).containsExactly("part-" + RUN + "-00000.parquet");
    assertThat(state.rows()).isEqualTo(4);
    assertThat(state.bytes()).isEqualTo(Files.size(staged(state.files().get(0))));
    assertThat(state.schema())
        .extracting(Column::type)
        .containsExactly(
            ColumnType.LONG,
            ColumnType.DOUBLE,
            ColumnType.BOOLEAN,
            ColumnType.TIMESTAMP,
            ColumnType.DATE,
            ColumnType.STRING,
            ColumnType.STRING);

    Path file = staged(state.files().get(0));
    MessageType schema = StagedParquet.schema(file);
    assertThat(primitive(schema, "id")).isEqualTo(PrimitiveTypeName.INT64);
    assertThat(logical(schema, "modified"))
        .isEqualTo(LogicalTypeAnnotation.timestampType(true, TimeUnit.MICROS));
    assertThat(logical(schema, "born")).isEqualTo(LogicalTypeAnnotation.dateType());
    assertThat(logical(schema, "name")).isEqualTo(LogicalTypeAnnotation.stringType());

    List<Map<String, Object>> rows = StagedParquet.rows(file);
    assertThat(rows).extracting(r -> r.get("id")).containsExactly(1L, 2L, 3L, 4L);
    assertThat(rows).extracting(r -> r.get("score")).containsExactly(1.5, -3.0, null, null);
    assertThat(rows).extracting(r -> r.get("active")).containsExactly(true, false, null, null);
    long micros = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() * 1_000_000;
    assertThat(rows)
        .extracting(r -> r.get("modified"))
        .containsExactly(micros, micros, micros, null);
    assertThat(rows.get(0).get("born")).isEqualTo((int) LocalDate.parse("1990-05-17").toEpochDay());
    assertThat(rows).extracting(r -> r.get("name")).containsExactly("Zoë", "東京 🚀", null, null);
    assertThat(rows).extracting(r -> r.get("zip")).containsExactly("007", "01234", null, null);
  }

  @Test
  void givenJsonValues_whenInferred_thenTypesFollowTheValuesAndNumbersFitStringColumns()
      throws IOException {
    WriterState state;
    try (ParquetStagingWriter writer = writer(sink("128MB", 2), null, null)) {
      writer.columns(List.of("n", "x", "ok", "big", "mixed", "nested", "empty"));
      writer.record(
          new Object[] {5L, 1.25, true, new BigDecimal("12345678901234567890"), 1L, "{\"a\":[1]}"});
      writer.record(new Object[] {-6L, 2.0, false, new BigDecimal("1"), "one", "[]", null});
      writer.record(new Object[] {7L, 3L, null, null, 2.5});
      state = writer.finish();
    }

    assertThat(state.schema())
        .extracting(Column::type)
        .containsExactly(
            ColumnType.LONG,
            ColumnType.DOUBLE,
            ColumnType.BOOLEAN,
            ColumnType.DOUBLE,
            ColumnType.STRING,
            ColumnType.STRING,
            ColumnType.STRING);
    List<Map<String, Object>> rows = StagedParquet.rows(staged(state.files().get(0)));
    assertThat(rows).extracting(r -> r.get("x")).containsExactly(1.25, 2.0, 3.0);
    assertThat(rows).extracting(r -> r.get("mixed")).containsExactly("1", "one", "2.5");
    assertThat(rows).extracting(r -> r.get("nested")).containsExactly("{\"a\":[1]}", "[]", null);
  }

  @Test
  void givenDeclaredDecimals_whenWritten_thenUnscaledValuesCarryTheDeclaredPrecision()
      throws IOException {
    ParquetSink sink =
        sink(
            "128MB",
            10,
            new ColumnSpec("amount", "decimal(10,2)", null),
            new ColumnSpec("huge", "DECIMAL(25, 3)", null),
            new ColumnSpec("unseen", "long", null));
    WriterState state;
    try (ParquetStagingWriter writer = writer(sink, null, null)) {
      writer.columns(List.of("amount", "huge"));
      writer.record(new Object[] {"12.3", "-1234567890123456789012.345"});
      writer.record(new Object[] {new BigDecimal("-0.05"), 7L});
      state = writer.finish();
    }

    Path file = staged(state.files().get(0));
    MessageType schema = StagedParquet.schema(file);
    assertThat(logical(schema, "amount")).isEqualTo(LogicalTypeAnnotation.decimalType(2, 10));
    assertThat(primitive(schema, "amount")).isEqualTo(PrimitiveTypeName.INT64);
    assertThat(primitive(schema, "huge")).isEqualTo(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY);
    assertThat(schema.getFields())
        .extracting(f -> f.getName())
        .containsExactly("amount", "huge", "unseen");
    List<Map<String, Object>> rows = StagedParquet.rows(file);
    assertThat(rows).extracting(r -> r.get("amount")).containsExactly(1230L, -5L);
    assertThat(rows)
        .extracting(r -> new BigDecimal(new BigInteger((byte[]) r.get("huge")), 3))
        .containsExactly(new BigDecimal("-1234567890123456789012.345"), new BigDecimal("7.000"));
  }

  @Test
  void givenValueNotFittingItsColumn_whenPageEnds_thenMismatchNamesColumnRecordValueAndFix() {
    try (ParquetStagingWriter writer = writer(sink("128MB", 2), null, null)) {
      writer.columns(List.of("id", "note"));
      writer.record(new Object[] {"1", "a"});
      writer.record(new Object[] {"2", "b"});
      writer.record(new Object[] {"x".repeat(200), "c"});

      assertThatThrownBy(writer::endPage)
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("Record 3")
          .hasMessageContaining("column 'id' of type long")
          .hasMessageContaining("'" + "x".repeat(80) + "…' (200 chars)")
          .hasMessageContaining("sink.columns")
          .satisfies(e -> assertThat(((SchemaMismatchException) e).recordNumber()).isEqualTo(3));
    }
  }

  @Test
  void givenWriterThreadFailed_whenParserKeepsDelivering_thenNextRecordCallThrowsThatFailure() {
    try (ParquetStagingWriter writer = writer(sink("128MB", 1), null, null)) {
      writer.columns(List.of("n"));
      writer.record(new Object[] {"1"});
      Object[] bad = {"not a number"};

      SchemaMismatchException failure = null;
      for (int i = 0; i < 1_000_000 && failure == null; i++) {
        try {
          writer.record(i == 0 ? bad : new Object[] {"2"});
        } catch (SchemaMismatchException e) {
          failure = e;
        }
      }

      assertThat(failure).isNotNull();
      assertThat(failure.recordNumber()).isEqualTo(2);
      assertThat(failure.getStackTrace())
          .anySatisfy(
              frame -> assertThat(frame.getClassName()).isEqualTo(RowWriteSupport.class.getName()));
      assertThatThrownBy(writer::finish).isSameAs(failure);
    }
  }

  @Test
  void givenDeclaredColumnNamedLate_whenColumnsGrow_thenOneFileHoldsEveryRow() throws IOException {
    ParquetSink sink = sink("128MB", 1, new ColumnSpec("late", "string", null));
    WriterState state;
    try (ParquetStagingWriter writer = writer(sink, null, null)) {
      writer.columns(List.of("a"));
      writer.record(new Object[] {1L});
      writer.columns(List.of("a", "late"));
      writer.record(new Object[] {2L, "declared, so welcome"});
      state = writer.finish();
    }

    assertThat(state.files()).containsExactly(PartFiles.name(RUN, 0));
    assertThat(StagedParquet.rows(staged(state.files().get(0))))
        .extracting(r -> r.get("late"))
        .containsExactly(null, "declared, so welcome");
  }

  @Test
  void givenNewKeyOnALaterPage_whenWritten_thenTheFileRollsThereAndTheNextHasTheWidenedSchema()
      throws IOException {
    WriterState state;
    try (ParquetStagingWriter writer = writer(sink("128MB", 2), null, null)) {
      writer.columns(List.of("id", "name"));
      writer.record(new Object[] {1L, "a"});
      writer.record(new Object[] {2L, "b"});
      assertThat(writer.checkpoint()).isNotNull();
      writer.record(new Object[] {3L, "c"});
      writer.columns(List.of("id", "name", "score"));
      writer.record(new Object[] {4L, "d", 1.5});
      // The new column is typed from the records that follow, as the first ones were: no
      // checkpoint while they are buffered.
      assertThat(writer.checkpoint()).isNull();
      writer.record(new Object[] {5L, null, null});
      writer.record(new Object[] {6L, "f", 2L});
      state = writer.finish();
    }

    assertThat(state.files())
        .containsExactly(PartFiles.name(RUN, 0), PartFiles.name(RUN, 1), PartFiles.name(RUN, 2));
    assertThat(listStaging()).containsExactlyInAnyOrderElementsOf(state.files());
    assertThat(state.rows()).isEqualTo(6);
    assertThat(state.schema())
        .extracting(Column::name, Column::type)
        .containsExactly(
            tuple("id", ColumnType.LONG),
            tuple("name", ColumnType.STRING),
            tuple("score", ColumnType.DOUBLE));
    assertThat(StagedParquet.schema(staged(state.files().get(1))).getFieldCount()).isEqualTo(2);
    assertThat(StagedParquet.rows(staged(state.files().get(1))))
        .extracting(r -> r.get("id"))
        .containsExactly(3L);
    MessageType widened = StagedParquet.schema(staged(state.files().get(2)));
    assertThat(widened.getFields())
        .extracting(f -> f.getName())
        .containsExactly("id", "name", "score");
    assertThat(primitive(widened, "score")).isEqualTo(PrimitiveTypeName.DOUBLE);
    assertThat(StagedParquet.rows(staged(state.files().get(2))))
        .extracting(r -> r.get("id"), r -> r.get("score"))
        .containsExactly(
            tuple(4L, 1.5),
            tuple(5L, null),
            tuple(6L, 2.0));
  }

  @Test
  void givenAttemptDiedAfterAMidPageRoll_whenThePageIsRetried_thenTheSameFilesAreCreatedAgain()
      throws IOException {
    WriterState checkpoint;
    List<String> beforeCrash;
    try (ParquetStagingWriter first = writer(sink("128MB", 1), null, null)) {
      first.columns(List.of("id"));
      first.record(new Object[] {1L});
      checkpoint = first.checkpoint();
      page2(first);
      beforeCrash = listStaging();
    } // dies before the page's end: the rolled file is in no checkpoint

    WriterState state;
    try (ParquetStagingWriter retried = writer(sink("128MB", 1), null, roundTrip(checkpoint))) {
      page2(retried);
      state = retried.finish();
    }

    // The file completed where the key appeared, though no checkpoint lists it yet.
    assertThat(checkpoint.files()).containsExactly(PartFiles.name(RUN, 0));
    assertThat(beforeCrash).contains(PartFiles.name(RUN, 0), PartFiles.name(RUN, 1));
    assertThat(state.files())
        .containsExactly(PartFiles.name(RUN, 0), PartFiles.name(RUN, 1), PartFiles.name(RUN, 2));
    assertThat(listStaging()).containsExactlyInAnyOrderElementsOf(state.files());
    assertThat(state.rows()).isEqualTo(4);
    List<Object> ids = new ArrayList<>();
    for (String name : state.files()) {
      StagedParquet.rows(staged(name)).forEach(r -> ids.add(r.get("id")));
    }
    assertThat(ids).containsExactly(1L, 2L, 3L, 4L);
    assertThat(StagedParquet.rows(staged(state.files().get(2))))
        .extracting(r -> r.get("tag"))
        .containsExactly("x", null);
  }

  /** A page whose second record brings the key {@code tag}. */
  private static void page2(ParquetStagingWriter writer) {
    writer.columns(List.of("id"));
    writer.record(new Object[] {2L});
    writer.columns(List.of("id", "tag"));
    writer.record(new Object[] {3L, "x"});
    writer.record(new Object[] {4L});
  }

  @Test
  void givenAColumnAddedMidRun_whenALaterValueHasAnotherType_thenMismatchNamesColumnAndBothTypes() {
    try (ParquetStagingWriter writer = writer(sink("128MB", 1), null, null)) {
      writer.columns(List.of("id"));
      writer.record(new Object[] {1L});
      writer.columns(List.of("id", "amount"));
      writer.record(new Object[] {2L, 10L});
      writer.record(new Object[] {3L, "ten"});

      assertThatThrownBy(writer::endPage)
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining(
              "Record 3: value 'ten' (string) does not fit column 'amount' of type long")
          .satisfies(e -> assertThat(((SchemaMismatchException) e).column()).isEqualTo("amount"));
    }
  }

  @Test
  void givenSmallTargetSize_whenPagesEnd_thenFilesRollWithContinuingSequence() throws IOException {
    WriterState last = null;
    int checkpoints = 0;
    try (ParquetStagingWriter writer = writer(sink("2KB", 10), null, null)) {
      writer.columns(List.of("id", "payload"));
      for (int page = 0; page < 10; page++) {
        for (int i = 0; i < 100; i++) {
          int id = page * 100 + i;
          writer.record(
              new Object[] {Integer.toString(id), Integer.toHexString(id * 7919) + "-" + id});
        }
        if (writer.endPage() != null) {
          checkpoints++;
        }
      }
      last = writer.finish();
    }

    assertThat(checkpoints).isGreaterThan(1);
    assertThat(last.files()).hasSizeGreaterThan(2);
    for (int seq = 0; seq < last.files().size(); seq++) {
      assertThat(last.files().get(seq)).isEqualTo(String.format("part-%s-%05d.parquet", RUN, seq));
    }
    long rows = 0;
    long bytes = 0;
    for (String name : last.files()) {
      rows += StagedParquet.rows(staged(name)).size();
      bytes += Files.size(staged(name));
    }
    assertThat(rows).isEqualTo(last.rows()).isEqualTo(1000);
    assertThat(bytes).isEqualTo(last.bytes());
  }

  @Test
  void givenCheckpoint_whenResumed_thenOrphanIsDeletedNumberingContinuesAndSchemaIsKept()
      throws IOException {
    WriterState checkpoint;
    try (ParquetStagingWriter first = writer(sink("1B", 1), "modified", null)) {
      first.columns(List.of("flag", "modified"));
      first.record(new Object[] {"x", "2026-01-02T00:00:00Z"});
      checkpoint = first.endPage();
      first.finish();
    }
    Files.writeString(staged("part-" + RUN + "-00001.parquet"), "half-written by a dead attempt");
    Files.writeString(staged("part-" + RUN + "-00002.parquet"), "half-written by a dead attempt");

    WriterState state;
    try (ParquetStagingWriter resumed =
        writer(sink("128MB", 10), "modified", roundTrip(checkpoint))) {
      resumed.columns(List.of("modified", "flag"));
      resumed.record(new Object[] {"2026-01-01T00:00:00Z", "true"});
      state = resumed.finish();
    }

    assertThat(state.files())
        .containsExactly("part-" + RUN + "-00000.parquet", "part-" + RUN + "-00001.parquet");
    assertThat(listStaging()).containsExactlyInAnyOrderElementsOf(state.files());
    assertThat(state.rows()).isEqualTo(2);
    assertThat(state.schema()).isEqualTo(checkpoint.schema());
    assertThat(StagedParquet.schema(staged(state.files().get(1))))
        .isEqualTo(StagedParquet.schema(staged(state.files().get(0))));
    assertThat(StagedParquet.rows(staged(state.files().get(1))).get(0).get("flag"))
        .isEqualTo("true");
    assertThat(state.maxWatermark()).isEqualTo("2026-01-02T00:00:00Z");
  }

  @Test
  void givenWatermarkInSeveralOffsets_whenFinished_thenMaxIsComparedAsInstantAndKeptAsSourceText() {
    WriterState state;
    try (ParquetStagingWriter writer = writer(sink("128MB", 10), "SystemModstamp", null)) {
      writer.columns(List.of("SystemModstamp"));
      writer.record(new Object[] {"2026-01-02T00:00:00.000+0000"});
      writer.record(new Object[] {"2026-01-03T09:00:00.000-0200"});
      writer.record(new Object[] {"2026-01-03T10:00:00Z"});
      writer.record(new Object[] {null});
      state = writer.finish();
    }

    assertThat(state.maxWatermark()).isEqualTo("2026-01-03T09:00:00.000-0200");
  }

  @Test
  void givenUnfinishedFile_whenClosed_thenItIsDeleted() throws IOException {
    try (ParquetStagingWriter writer = writer(sink("128MB", 1), null, null)) {
      writer.columns(List.of("a"));
      writer.record(new Object[] {"1"});
      assertThat(writer.endPage()).isNull();
      assertThat(listStaging()).hasSize(1);
    }

    assertThat(listStaging()).isEmpty();
  }

  @Test
  void givenNoRecords_whenFinished_thenNoFileAndEmptyState() throws IOException {
    WriterState state;
    try (ParquetStagingWriter writer = writer(sink("128MB", 10), null, null)) {
      writer.columns(List.of("a"));
      state = writer.finish();
    }

    assertThat(state).isEqualTo(new WriterState(List.of(), 0, 0, null, List.of()));
    assertThat(listStaging()).isEmpty();
  }

  @Test
  void givenUnknownCompression_whenConstructed_thenInvalidSinkNamesTheField() {
    ParquetSink sink = new ParquetSink(dir.toUri().toString(), null, "lz4", null, null, null);

    assertThatThrownBy(() -> writer(sink, null, null))
        .isInstanceOf(InvalidSinkException.class)
        .hasMessageContaining("sink.compression")
        .hasMessageContaining("'lz4'");
  }

  private ParquetStagingWriter writer(
      ParquetSink sink, String watermarkColumn, WriterState resumeFrom) {
    return new ParquetStagingWriter(files, sink, stagingUri(), RUN, watermarkColumn, resumeFrom);
  }

  private ParquetSink sink(String targetFileSize, int inferRows, ColumnSpec... columns) {
    return new ParquetSink(
        dir.resolve("table").toUri().toString(),
        "append",
        "snappy",
        targetFileSize,
        List.of(columns),
        inferRows);
  }

  /** The state as the activity's heartbeat would carry it, through Temporal's data converter. */
  private static WriterState roundTrip(WriterState state) {
    var converter = DefaultDataConverter.STANDARD_INSTANCE;
    return converter.fromPayload(
        converter.toPayload(state).orElseThrow(), WriterState.class, WriterState.class);
  }

  private String stagingUri() {
    return dir.resolve("staging").toUri().toString();
  }

  private Path staged(String name) {
    return dir.resolve("staging").resolve(name);
  }

  private List<String> listStaging() throws IOException {
    try (Stream<Path> paths = Files.list(dir.resolve("staging"))) {
      return paths.map(p -> p.getFileName().toString()).toList();
    }
  }

  private static PrimitiveTypeName primitive(MessageType schema, String column) {
    return schema.getType(column).asPrimitiveType().getPrimitiveTypeName();
  }

  private static LogicalTypeAnnotation logical(MessageType schema, String column) {
    return schema.getType(column).getLogicalTypeAnnotation();
  }
}
