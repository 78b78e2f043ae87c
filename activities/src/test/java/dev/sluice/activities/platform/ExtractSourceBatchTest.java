package dev.sluice.activities.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.sandbox.platform.ContentBatchSeed.FileSeed;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.ExtractBatchResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a source batch's files into staged Parquet, against the platform emulation. */
class ExtractSourceBatchTest {
  static SourceSandbox sandbox;

  @TempDir Path dir;
  Path staging;

  @BeforeAll
  static void start() {
    sandbox = new SourceSandbox();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.reset();
    staging = dir.resolve("table/_sluice/staging/run-1");
  }

  ExtractBatchResult extract(String batchId) {
    return extract(batchId, 100, "128MB");
  }

  ExtractBatchResult extract(String batchId, int pageSize, String targetFileSize) {
    return sandbox.activities.extractBatch(
        new ExtractBatchRequest(
            "run-1",
            sandbox.source(SourceSandbox.TYPED, pageSize),
            batchId,
            SourceSandbox.table(dir.resolve("table").toUri().toString(), targetFileSize),
            staging.toUri().toString()));
  }

  static ApplicationFailure failure(Runnable call) {
    ActivityFailure failure = catchThrowableOfType(ActivityFailure.class, call::run);
    assertThat(failure).as("the activity failed").isNotNull();
    return (ApplicationFailure) failure.getCause();
  }

  static List<Map<String, Object>> rowsOf(int from, int to) {
    return IntStream.range(from, to)
        .mapToObj(i -> SourceSandbox.row("r" + i, 1900 + i, 10L * i, i / 4.0, i % 2 == 0))
        .toList();
  }

  static List<String> ids(List<Map<String, Object>> rows) {
    return rows.stream().map(r -> (String) r.get("id")).sorted().toList();
  }

  static List<String> expectedIds(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "r" + i).sorted().toList();
  }

  @Test
  void givenParquetBatch_whenExtracting_thenRowsLandWithTheirTypesUnderBatchDerivedNames()
      throws IOException {
    sandbox.seed("01HB.batch_1", 1_000, FileSeed.parquet("part-0.parquet", rowsOf(0, 3)));

    ExtractBatchResult result = extract("01HB.batch_1");

    assertThat(result.batchId()).isEqualTo("01HB.batch_1");
    assertThat(result.rows()).isEqualTo(3);
    assertThat(result.sourceFiles()).isEqualTo(1);
    assertThat(result.files()).containsExactly("part-01HB.batch_1-00000.parquet");
    Path file = staging.resolve("part-01HB.batch_1-00000.parquet");
    assertThat(result.bytes()).isEqualTo(Files.size(file));
    MessageType schema = StagedRows.schema(file);
    assertThat(schema.getType("id").asPrimitiveType().getLogicalTypeAnnotation())
        .isEqualTo(LogicalTypeAnnotation.stringType());
    assertThat(schema.getType("year").asPrimitiveType().getPrimitiveTypeName())
        .isEqualTo(PrimitiveTypeName.INT64);
    assertThat(schema.getType("points").asPrimitiveType().getPrimitiveTypeName())
        .isEqualTo(PrimitiveTypeName.INT64);
    assertThat(schema.getType("score").asPrimitiveType().getPrimitiveTypeName())
        .isEqualTo(PrimitiveTypeName.DOUBLE);
    assertThat(schema.getType("optIn").asPrimitiveType().getPrimitiveTypeName())
        .isEqualTo(PrimitiveTypeName.BOOLEAN);
    assertThat(schema.getType("seenAt").asPrimitiveType().getLogicalTypeAnnotation())
        .isEqualTo(
            LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
    Map<String, Object> second =
        StagedRows.rows(file).stream().filter(r -> r.get("id").equals("r1")).findFirst().get();
    assertThat(second)
        .containsEntry("year", 1901L)
        .containsEntry("points", 10L)
        .containsEntry("score", 0.25)
        .containsEntry("optIn", false)
        .containsEntry("seenAt", (1_709_251_200_000L + 10) * 1000);
    assertThat(Files.exists(staging.resolve(PlatformBatchReader.WORK_DIR + "/01HB.batch_1")))
        .isFalse();
  }

  @Test
  void givenParquetOfRicherTypes_whenExtracting_thenDatesDecimalsTimestampsAndNestingAreKept()
      throws IOException {
    sandbox.seed("b-rich", 1_000, FileSeed.bytes("rich.parquet", TestParquet.richFile()));

    extract("b-rich");

    Path file = staging.resolve("part-b-rich-00000.parquet");
    MessageType schema = StagedRows.schema(file);
    assertThat(schema.getType("day").asPrimitiveType().getLogicalTypeAnnotation())
        .isEqualTo(LogicalTypeAnnotation.dateType());
    assertThat(schema.getType("price").asPrimitiveType().getLogicalTypeAnnotation())
        .isEqualTo(LogicalTypeAnnotation.decimalType(2, 9));
    assertThat(schema.getType("legacy").asPrimitiveType().getLogicalTypeAnnotation())
        .isInstanceOf(LogicalTypeAnnotation.TimestampLogicalTypeAnnotation.class);
    Map<String, Object> row = StagedRows.rows(file).get(0);
    assertThat(row)
        .containsEntry("id", "rich-1")
        .containsEntry("day", (int) LocalDate.parse("2024-03-01").toEpochDay())
        .containsEntry("at", TestParquet.AT_MICROS)
        .containsEntry("price", new BigDecimal("12.34").unscaledValue().longValue())
        .containsEntry("ratio", 0.1)
        .containsEntry("tags", "[\"a\",null,\"b\"]")
        .containsEntry("address", "{\"city\":\"Basel\",\"zip\":4051}")
        .containsEntry("legacy", Instant.parse("2024-03-01T12:00:00Z").toEpochMilli() * 1000);
  }

  @Test
  void givenCsvBatch_whenExtracting_thenTheHeaderNamesColumnsEmptyFieldsAreNullAndTypesInferred()
      throws IOException {
    sandbox.seed(
        "b-csv",
        1_000,
        FileSeed.text(
            "filename1.csv",
            "name,age,date,email\n"
                + "John Kumar,,,johnk@email.com\n"
                + "\"Gupta, Marry\",42,2024-03-01T00:00:00Z,marryg@email.com\n"));

    ExtractBatchResult result = extract("b-csv");

    assertThat(result.rows()).isEqualTo(2);
    Path file = staging.resolve("part-b-csv-00000.parquet");
    assertThat(StagedRows.schema(file).getType("age").asPrimitiveType().getPrimitiveTypeName())
        .isEqualTo(PrimitiveTypeName.INT64);
    List<Map<String, Object>> rows = StagedRows.rows(file);
    assertThat(rows.get(0))
        .containsEntry("name", "John Kumar")
        .containsEntry("age", null)
        .containsEntry("date", null);
    assertThat(rows.get(1))
        .containsEntry("name", "Gupta, Marry")
        .containsEntry("age", 42L)
        .containsEntry("date", Instant.parse("2024-03-01T00:00:00Z").toEpochMilli() * 1000);
  }

  @Test
  void givenJsonLinesBatch_whenExtracting_thenNestedObjectsLandAsJsonText() throws IOException {
    sandbox.seed(
        "b-json",
        1_000,
        FileSeed.text(
            "events.json",
            "{\"id\":\"e1\",\"count\":3,\"web\":{\"page\":\"home\"}}\n"
                + "{\"id\":\"e2\",\"count\":4}\n"));

    ExtractBatchResult result = extract("b-json");

    assertThat(result.rows()).isEqualTo(2);
    List<Map<String, Object>> rows = StagedRows.allRows(staging);
    assertThat(rows.get(0))
        .containsEntry("id", "e1")
        .containsEntry("count", 3L)
        .containsEntry("web", "{\"page\":\"home\"}");
    assertThat(rows.get(1)).containsEntry("web", null);
  }

  @Test
  void givenManyDatasetFilesAndParts_whenListingsArePaged_thenEveryFileIsReadOnce()
      throws IOException {
    List<FileSeed> files = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      files.add(FileSeed.parquet("file-" + i + ".parquet", rowsOf(i * 10, i * 10 + 10)));
    }
    // One dataset file of three parts: its listing pages too.
    for (int p = 0; p < 3; p++) {
      files.add(
          FileSeed.parquet("part-" + p + ".parquet", rowsOf(100 + p * 5, 105 + p * 5))
              .inDatasetFile("multi"));
    }
    sandbox.seed("b-paged", 1_000, files.toArray(FileSeed[]::new));

    ExtractBatchResult result = extract("b-paged", 2, "128MB");

    assertThat(result.sourceFiles()).isEqualTo(6);
    assertThat(result.rows()).isEqualTo(65);
    List<String> expected =
        Stream.concat(expectedIds(0, 50).stream(), expectedIds(100, 115).stream())
            .sorted()
            .toList();
    assertThat(ids(StagedRows.allRows(staging))).isEqualTo(expected);
  }

  @Test
  void givenFilesOfDifferentColumns_whenExtracting_thenOneSchemaAndMissingColumnsNull()
      throws IOException {
    sandbox.seed(
        "b-mixed",
        1_000,
        FileSeed.text("a.csv", "id,city\nr1,Basel\n"),
        FileSeed.text("b.csv", "city,id\nBern,r2\n"),
        FileSeed.text("c.csv", "id\nr3\n"));

    extract("b-mixed");

    List<Map<String, Object>> rows = StagedRows.allRows(staging);
    assertThat(rows)
        .containsExactlyInAnyOrder(
            row("id", "r1", "city", "Basel"),
            row("id", "r2", "city", "Bern"),
            row("id", "r3", "city", null));
  }

  static Map<String, Object> row(Object... keysAndValues) {
    Map<String, Object> row = new java.util.HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      row.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return row;
  }

  @Test
  void givenAnExtractThatCompleted_whenTheBatchIsReadAgain_thenItsFilesAreOverwrittenNotAdded()
      throws IOException {
    sandbox.seed("b-again", 1_000, FileSeed.parquet("p.parquet", rowsOf(0, 20_000)));

    ExtractBatchResult first = extract("b-again", 100, "16KB");
    ExtractBatchResult second = extract("b-again", 100, "16KB");

    assertThat(first.files()).hasSizeGreaterThan(1);
    assertThat(second.files()).isEqualTo(first.files());
    assertThat(StagedRows.parquetFiles(staging)).hasSize(first.files().size());
    assertThat(ids(StagedRows.allRows(staging))).isEqualTo(expectedIds(0, 20_000));
  }

  @Test
  void givenAnotherBatchInTheSameStaging_whenOneIsReadAgain_thenTheOtherBatchsFilesAreUntouched()
      throws IOException {
    sandbox.seed("b-one", 1_000, FileSeed.parquet("p.parquet", rowsOf(0, 10)));
    sandbox.seed("b-two", 2_000, FileSeed.parquet("p.parquet", rowsOf(10, 20)));
    extract("b-one");
    extract("b-two");
    Path two = staging.resolve("part-b-two-00000.parquet");
    FileTime before = FileTime.fromMillis(1_000);
    Files.setLastModifiedTime(two, before);
    byte[] twoBytes = Files.readAllBytes(two);

    extract("b-one");

    assertThat(Files.getLastModifiedTime(two)).isEqualTo(before);
    assertThat(Files.readAllBytes(two)).isEqualTo(twoBytes);
    assertThat(StagedRows.parquetFiles(staging).stream().map(p -> p.getFileName().toString()))
        .containsExactly("part-b-one-00000.parquet", "part-b-two-00000.parquet");
    assertThat(ids(StagedRows.allRows(staging))).isEqualTo(expectedIds(0, 20));
  }

  @Test
  void givenEmptyBatch_whenExtracting_thenNoFilesAndNoRows() {
    sandbox.seed("b-empty", 1_000);

    ExtractBatchResult result = extract("b-empty");

    assertThat(result.rows()).isZero();
    assertThat(result.files()).isEmpty();
    assertThat(result.sourceFiles()).isZero();
  }

  @Test
  void
      givenAFileNamedParquetThatIsNot_whenExtracting_thenNonRetryableMalformedDataNamingBatchAndFile() {
    sandbox.seed(
        "b-bad",
        1_000,
        FileSeed.parquet("good.parquet", rowsOf(0, 2)),
        FileSeed.text("contact.parquet", "name,age\nJohn,42\n"));

    ApplicationFailure failure = failure(() -> extract("b-bad"));

    assertThat(failure.getType()).isEqualTo(FailureType.MALFORMED_DATA.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("batch b-bad", "file b-bad-2/contact.parquet", "not a Parquet file");
  }

  @Test
  void givenTruncatedParquet_whenExtracting_thenMalformedDataNamingTheFile() {
    byte[] whole = TestParquet.richFile();
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 2);
    sandbox.seed("b-cut", 1_000, FileSeed.bytes("cut.parquet", truncated));

    ApplicationFailure failure = failure(() -> extract("b-cut"));

    assertThat(failure.getType()).isEqualTo(FailureType.MALFORMED_DATA.type());
    assertThat(failure.getOriginalMessage())
        .contains("batch b-cut", "cut.parquet", "not a readable Parquet file");
  }

  @Test
  void givenCsvWithARecordLongerThanItsHeader_whenExtracting_thenMalformedDataNamingFileAndLine() {
    sandbox.seed("b-csv", 1_000, FileSeed.text("rows.csv", "name,age\nJohn,42\nMary,7,extra\n"));

    ApplicationFailure failure = failure(() -> extract("b-csv"));

    assertThat(failure.getType()).isEqualTo(FailureType.MALFORMED_DATA.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("batch b-csv", "rows.csv", "line 3");
  }

  @Test
  void givenBinaryContentThatIsNotText_whenExtracting_thenMalformedData() {
    sandbox.seed(
        "b-bin", 1_000, FileSeed.bytes("blob.csv", new byte[] {'a', '\n', (byte) 0xC3, 0x28}));

    ApplicationFailure failure = failure(() -> extract("b-bin"));

    assertThat(failure.getType()).isEqualTo(FailureType.MALFORMED_DATA.type());
    assertThat(failure.getOriginalMessage()).contains("blob.csv", "UTF-8");
  }

  @Test
  void givenAColumnOfRawBytes_whenExtracting_thenSchemaMismatchNamingBatchFileAndColumn() {
    sandbox.seed("b-blob", 1_000, FileSeed.bytes("blob.parquet", TestParquet.bytesColumnFile()));

    ApplicationFailure failure = failure(() -> extract("b-blob"));

    assertThat(failure.getType()).isEqualTo(FailureType.SCHEMA_MISMATCH.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("batch b-blob", "blob.parquet", "column 'payload'", "BINARY");
  }

  @Test
  void givenAValueThatDoesNotFitADeclaredColumn_whenExtracting_thenSchemaMismatchNamingTheFile() {
    sandbox.seed("b-type", 1_000, FileSeed.text("rows.csv", "id,age\nr1,forty\n"));

    ApplicationFailure failure =
        failure(
            () ->
                sandbox.activities.extractBatch(
                    new ExtractBatchRequest(
                        "run-1",
                        sandbox.source(SourceSandbox.TYPED, 100),
                        "b-type",
                        new dev.sluice.pipeline.ParquetSink(
                            dir.resolve("table").toUri().toString(),
                            null,
                            null,
                            null,
                            List.of(new dev.sluice.pipeline.ColumnSpec("age", "long", null)),
                            null),
                        staging.toUri().toString())));

    assertThat(failure.getType()).isEqualTo(FailureType.SCHEMA_MISMATCH.type());
    assertThat(failure.getOriginalMessage()).contains("batch b-type", "rows.csv", "'age'");
  }

  @Test
  void givenALongBatch_whenExtracting_thenTheActivityHeartbeats() {
    sandbox.seed("b-long", 1_000, FileSeed.parquet("p.parquet", rowsOf(0, 3_000)));

    extract("b-long");

    // The sandbox's worker heartbeats at every chance (a real one at most every 10 s), the rows so
    // far every 1,024 rows; Temporal's own throttling lets the first through at once.
    assertThat(sandbox.heartbeats).first().isEqualTo(1_024L);
  }
}
