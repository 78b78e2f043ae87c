package dev.sluice.starter.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.GenericData;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.Surveys;
import dev.sluice.sandbox.platform.ContentBatchSeed;
import dev.sluice.sandbox.platform.ContentBatchSeed.FileSeed;
import dev.sluice.sandbox.platform.DatasetSeed;
import dev.sluice.sandbox.platform.FieldType;
import dev.sluice.sandbox.platform.PlatformEmulator;
import dev.sluice.starter.cli.CliRun;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.e2e.ParquetTables;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopTables;
import org.apache.iceberg.io.CloseableIterable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Example pipelines with only their sink swapped for an iceberg sink (the Salesforce, generic,
 * work-units and platform-source examples, and the Iceberg example itself), run from the CLI
 * against one sandbox, one embedded Temporal server and one worker shared by every test; each table
 * read back by pyiceberg or by Iceberg's Java generic reader (implementations other than the
 * writer), row for row against the rows the sandbox served. Each test has its own warehouse; the
 * counts are relative to the sandbox's contacts when the test starts (tests add contacts).
 */
@ExtendWith(PyIceberg.class)
class IcebergEndToEndTest {
  static final String QUEUE = "iceberg-e2e";
  static final long SEED = 42;
  static final int EVENTS = 300;
  static DevEnvironment dev;

  @TempDir static Path work;

  @BeforeAll
  static void startStack() {
    dev =
        DevEnvironment.start(
            0,
            SandboxConfig.defaults()
                .withSeed(SEED)
                .withContactRecords(500)
                .withEventRecords(EVENTS)
                // Ready at the first status check: no run waits on a poll timer.
                .withPollsBeforeReady(1),
            QUEUE);
  }

  @AfterAll
  static void stopStack() {
    dev.close();
  }

  /** The Salesforce example in {@code dir} with an iceberg sink (warehouse beside it), paged. */
  static Path pipeline(Path dir, String table, String mode) throws Exception {
    Files.createDirectories(dir);
    Path file =
        IcebergExamples.write(dir, "salesforce-bulk-contacts.yaml", "warehouse", table, mode);
    Files.writeString(file, Files.readString(file).replace("pageSize: 50000", "pageSize: 300"));
    return file;
  }

  static CliRun run(Path pipeline, String logicalDate) {
    CliRun run =
        CliRun.run(
            Stream.of(
                    "run", pipeline.toString(), "--wait", "--logical-date", logicalDate,
                    "--address", dev.temporal().address(), "--task-queue", QUEUE)
                .toArray(String[]::new));
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return run;
  }

  static List<Map<String, String>> served(int from, int to) {
    return ParquetTables.expected(ContactData.rows(SEED, from, to));
  }

  @Test
  void givenTheExampleWithAnIcebergSink_whenRunTwice_thenEveryRowOnceAndEachRunOneSnapshot()
      throws Exception {
    Path dir = work.resolve("incremental");
    Path pipeline = pipeline(dir, "crm.contacts", "append");
    String location = dir.resolve("warehouse/crm/contacts").toUri().toString();

    int n = dev.sandbox().salesforce().contactCount();
    run(pipeline, "2026-11-01T00:00:00Z");
    PyIceberg.Read first = PyIceberg.readTable(location);

    assertThat(IcebergRows.contacts(first.rows())).containsExactlyElementsOf(served(0, n));

    dev.sandbox().salesforce().addContacts(250);
    run(pipeline, "2026-11-02T00:00:00Z");
    PyIceberg.Read second = PyIceberg.readTable(location);

    assertThat(IcebergRows.contacts(second.rows())).containsExactlyElementsOf(served(0, n + 250));
    List<Map<String, String>> runs =
        second.summaries().stream().filter(s -> s.containsKey("sluice.run-key")).toList();
    assertThat(runs).hasSize(2);
    assertThat(runs).extracting(s -> s.get("sluice.run-key")).doesNotHaveDuplicates();
    assertThat(runs).extracting(s -> s.get("sluice.rows")).containsExactly("" + n, "250");
    assertThat(IcebergRows.instant(runs.get(1).get("sluice.watermark").replace("Z", "+00:00")))
        .isEqualTo(java.time.Instant.parse(ContactData.row(SEED, n + 249).get("SystemModstamp")));
    assertThat(runs.get(1).get("sluice.watermark-from"))
        .isEqualTo(runs.get(0).get("sluice.watermark-to"));
    Table table = new HadoopTables(new Configuration()).load(location);
    assertThat(JavaTables.rows(table)).hasSize(n + 250);
  }

  @Test
  void givenNewColumnsAndAWiderDecimal_whenTheNextRunHasThem_thenTheTableEvolvesAndOldRowsReadNull()
      throws Exception {
    Path dir = work.resolve("evolution");
    Path pipeline = pipeline(dir, "crm.contacts", "append");
    String full = Files.readString(pipeline);
    Files.writeString(
        pipeline,
        full.replace("Title, Description, ", "")
            .replace("AnnualRevenue, type: \"decimal(18,2)\"", "AnnualRevenue, type: \"decimal(16,2)\""));
    String location = dir.resolve("warehouse/crm/contacts").toUri().toString();
    int before = dev.sandbox().salesforce().contactCount();

    run(pipeline, "2026-11-07T00:00:00Z");
    dev.sandbox().salesforce().addContacts(100);
    Files.writeString(pipeline, full);
    run(pipeline, "2026-11-08T00:00:00Z");
    PyIceberg.Read read = PyIceberg.readTable(location);

    assertThat(read.table().path("schema").toString())
        .contains("\"Title\"")
        .contains("\"Description\"")
        .contains("decimal(18, 2)");
    List<Map<String, String>> expected = served(0, before + 100);
    for (int i = 0; i < before; i++) {
      expected.get(i).put("Title", null);
      expected.get(i).put("Description", null);
    }
    assertThat(IcebergRows.contacts(read.rows())).containsExactlyElementsOf(expected);
  }

  @Test
  void givenTwoPipelinesIntoOneJdbcCatalog_whenTheyCommitAtOnce_thenBothTablesAreExact()
      throws Exception {
    Path dir = work.resolve("two");
    Files.createDirectories(dir);
    String warehouse = dir.resolve("warehouse").toUri().toString();
    String catalog =
        "    type: jdbc\n    uri: jdbc:sqlite:" + dir.resolve("catalog.db") + "\n    warehouse: "
            + warehouse + "\n";
    String example = Files.readString(IcebergExamples.example("salesforce-bulk-contacts.yaml"));
    int n = dev.sandbox().salesforce().contactCount();
    List<String> ids = new java.util.ArrayList<>();
    for (String name : List.of("contacts_a", "contacts_b")) {
      String yaml =
          IcebergExamples.withCatalog(example, catalog, "crm." + name, "append")
              .replaceFirst("(?m)^name: .*$", "name: " + name.replace('_', '-'));
      Path file = dir.resolve(name + ".yaml");
      Files.writeString(file, yaml);
      var spec = new PipelineLoader().load(file).spec();
      ids.add(
          PipelineRuns.start(
              dev.client(), QUEUE, spec, "2026-11-09T00:00:00Z"));
    }
    for (String id : ids) {
      dev.client()
          .newUntypedWorkflowStub(id)
          .getResult(AsyncIngestResult.class);
    }

    for (String name : List.of("contacts_a", "contacts_b")) {
      PyIceberg.Read read =
          PyIceberg.readSql(
              "sqlite:///" + dir.resolve("catalog.db"), "sluice", warehouse, "crm." + name);
      assertThat(IcebergRows.contacts(read.rows())).as(name).containsExactlyElementsOf(served(0, n));
      assertThat(read.summaries().stream().filter(s -> s.containsKey("sluice.run-key"))).hasSize(1);
    }
  }

  @Test
  void givenTheIcebergGenericExample_whenRunTwice_thenTheTableHoldsEveryEventOnce() throws Exception {
    Path dir = work.resolve("generic");
    Path pipeline = dir.resolve("events.yaml");
    Files.createDirectories(dir);
    Files.copy(IcebergExamples.example("iceberg-generic-export.yaml"), pipeline);

    run(pipeline, "2026-11-22T00:00:00Z");
    run(pipeline, "2026-11-23T00:00:00Z"); // snapshot mode: the second run replaces the first

    Table table = table(dir.resolve("out/warehouse/lake/events"));
    List<Map<String, String>> expected = new ArrayList<>();
    for (Map<String, Object> served : GenericData.rows(SEED, 0, EVENTS)) {
      expected.add(text(served, GenericData.FIELDS));
    }
    List<Map<String, String>> read = new ArrayList<>();
    for (Record r : records(table)) {
      read.add(text(r, GenericData.FIELDS));
    }
    read.sort(Comparator.comparing(r -> Long.parseLong(r.get("id"))));
    assertThat(read).containsExactlyElementsOf(expected);
    assertThat(table.currentSnapshot().summary()).containsEntry("sluice.pipeline", "generic-events");
  }

  @Test
  void givenTheSalesforceExampleInOverwriteWindowMode_whenRunIncrementallyAndAnOlderWindowAgain_thenNoRowIsLostOrDuplicated()
      throws Exception {
    Path dir = work.resolve("overwrite-window");
    Files.createDirectories(dir);
    Path pipeline = dir.resolve("contacts.yaml");
    String yaml = Files.readString(IcebergExamples.example("salesforce-bulk-contacts.yaml"));
    Files.writeString(
        pipeline,
        yaml.replace(
            "  type: parquet\n  path: out/salesforce-contacts     # relative to this file\n  mode: append\n",
            "  type: iceberg\n  catalog: {warehouse: out/warehouse}\n  table: crm.contacts\n"
                + "  mode: overwrite-window\n  partitionBy: [month(CreatedDate)]\n"));
    Path location = dir.resolve("out/warehouse/crm/contacts");
    int n = dev.sandbox().salesforce().contactCount();

    run(pipeline, "2026-11-01T00:00:00Z");
    dev.sandbox().salesforce().addContacts(10);
    CliRun second = run(pipeline, "2026-11-02T00:00:00Z");
    assertThat(second.out()).contains("rows          10 from 1 page");
    assertTableHoldsEveryContact(location, n + 10);

    run(pipeline, "2026-11-01T00:00:00Z"); // the older window again: exactly its own rows
    assertTableHoldsEveryContact(location, n + 10);
    dev.sandbox().salesforce().addContacts(5);
    assertThat(run(pipeline, "2026-11-03T00:00:00Z").out()).contains("rows          5 from 1 page");
    assertTableHoldsEveryContact(location, n + 15);
  }

  @Test
  void givenTheWorkUnitsExampleWithAnIcebergSink_whenRun_thenEverySurveysRowsAreInItsPartitionOnce()
      throws Exception {
    int surveys = 2;
    dev.sandbox().generic().surveys().count(surveys);
    try {
      Path dir = work.resolve("units");
      Path pipeline =
          IcebergExamples.write(
              dir(dir), "generic-survey-responses.yaml", "warehouse", "survey.responses", "snapshot");
      String location = dir.resolve("warehouse/survey/responses").toUri().toString();

      run(pipeline, "2026-11-01T00:00:00Z");
      // The window again: each survey's run replaces only its own rows.
      run(pipeline, "2026-11-01T00:00:00Z");

      List<String> fields = new ArrayList<>(GenericData.FIELDS);
      fields.add("survey_id");
      List<Map<String, String>> expected = new ArrayList<>();
      for (int k = 1; k <= surveys; k++) {
        int first = dev.sandbox().generic().surveys().firstRow(Surveys.id(k));
        for (Map<String, Object> served : GenericData.rows(SEED, first, first + EVENTS)) {
          Map<String, Object> row = new LinkedHashMap<>(served);
          row.put("survey_id", Surveys.id(k));
          expected.add(text(row, fields));
        }
      }
      Table table = new HadoopTables(new Configuration()).load(location);
      List<Map<String, String>> read = new ArrayList<>();
      for (Record r : records(table)) {
        read.add(text(r, fields));
      }
      read.sort(Comparator.comparing(r -> Long.parseLong(r.get("id"))));
      assertThat(read).containsExactlyElementsOf(expected);
      assertThat(table.spec().fields())
          .as("partitioned by the unit, as the pipeline names no partitions")
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.transform().isIdentity()).isTrue();
                assertThat(table.schema().findColumnName(f.sourceId())).isEqualTo("survey_id");
              });
      // pyiceberg fills the unit's column, which the data files lack, from each file's partition.
      PyIceberg.Read py = PyIceberg.readTable(location);
      assertThat(py.rows()).extracting(r -> String.valueOf(r.get("survey_id")))
          .containsOnly(Surveys.id(1), Surveys.id(2))
          .hasSize(surveys * EVENTS);
    } finally {
      dev.sandbox().generic().reset();
    }
  }

  @Test
  void givenThePlatformSourceExampleWithAnIcebergSink_whenRunAndRunAgain_thenEveryBatchRowOnce()
      throws Exception {
    Path dir = work.resolve("platform");
    Path pipeline =
        IcebergExamples.write(
            dir(dir), "platform-to-parquet.yaml", "warehouse", "platform.events", "append");
    assertThat(Files.readString(pipeline)).as("the example's deferral kept").contains("defer:");
    // One more batch in the window: a complete event, and one without an eventType (deferred).
    String late = "5eed0000000000000000late";
    dev.sandbox()
        .platform()
        .seedContentBatch(
            new ContentBatchSeed(
                late,
                PlatformEmulator.SEEDED_EVENTS,
                java.time.Instant.parse("2024-03-01T04:00:00Z").toEpochMilli(),
                "success",
                List.of(
                    FileSeed.parquet(
                        late + ".parquet",
                        List.of(event("late-1", "click", 1.5), event("late-2", null, 2.5)))),
                List.of()));
    try {
      assertThat(run(pipeline, "2024-03-02T00:00:00Z").out())
          .contains("deferral      landed 101, deferred 1, released 0, superseded 0, expired 0");
      // The same window again: its rows replaced, not added; late-2 deferred again, once.
      assertThat(run(pipeline, "2024-03-02T00:00:00Z").out())
          .contains("deferral      landed 101, deferred 1, released 0, superseded 1, expired 0");
    } finally {
      dev.sandbox().platform().reset();
    }

    List<Map<String, String>> expected = new ArrayList<>();
    Map<String, Integer> seeded =
        Map.of("e01", 1, "e02", 2, "e03", 1, "e04", 1); // batches and their files
    seeded.forEach(
        (suffix, files) -> {
          String batch = "5eed00000000000000000" + suffix;
          for (int file = 0; file < files; file++) {
            for (int row = 0; row < 20; row++) {
              Map<String, String> r = new LinkedHashMap<>();
              r.put("eventId", seeded("eventId", FieldType.STRING, batch, file, row));
              r.put("eventType", seeded("eventType", FieldType.STRING, batch, file, row));
              r.put("value", seeded("value", FieldType.DOUBLE, batch, file, row));
              expected.add(r);
            }
          }
        });
    expected.add(text(event("late-1", "click", 1.5), List.of("eventId", "eventType", "value")));
    expected.sort(Comparator.comparing(r -> r.get("eventId")));
    Table table = table(dir.resolve("warehouse/platform/events"));
    List<Map<String, String>> read = new ArrayList<>();
    for (Record r : records(table)) {
      read.add(text(r, List.of("eventId", "eventType", "value")));
    }
    read.sort(Comparator.comparing(r -> r.get("eventId")));
    assertThat(read).as("every complete row once, late-2 not").containsExactlyElementsOf(expected);
    // The watermark is the last batch read (its created time and ID), read back from the summary.
    assertThat(table.currentSnapshot().summary().get("sluice.watermark")).endsWith("/" + late);
    // The deferred row is in the set the last commit names, committed with it.
    assertThat(table.currentSnapshot().summary())
        .containsEntry("sluice.deferred-rows", "1")
        .hasEntrySatisfying(
            "sluice.deferred", folder -> assertThat(folder).contains("/_sluice/deferred/"));
    assertThat(
            java.util.stream.StreamSupport.stream(table.snapshots().spliterator(), false)
                .filter(s -> s.summary().containsKey("sluice.commit")))
        .as("each run one snapshot")
        .hasSize(2);
  }

  private static Map<String, Object> event(String id, String type, double value) {
    Map<String, Object> row = new java.util.HashMap<>();
    row.put("eventId", id);
    row.put("eventType", type);
    row.put("value", value);
    return row;
  }

  private static Path dir(Path dir) throws IOException {
    return Files.createDirectories(dir);
  }

  private static String seeded(String name, FieldType type, String batch, int file, int row) {
    return String.valueOf(
        PlatformEmulator.seededValue(new DatasetSeed.Field(name, type), batch, file, row));
  }

  private static void assertTableHoldsEveryContact(Path location, int count) {
    List<String> ids = new ArrayList<>();
    for (Record r : records(table(location))) {
      ids.add(r.getField("Id") + "@" + r.getField("SystemModstamp"));
    }
    List<String> expected = new ArrayList<>();
    for (Map<String, String> row :
        ContactData.rows(SEED, 0, dev.sandbox().salesforce().contactCount())) {
      expected.add(
          row.get("Id")
              + "@"
              + java.time.Instant.parse(row.get("SystemModstamp")).atOffset(java.time.ZoneOffset.UTC));
    }
    assertThat(ids).hasSize(count).containsExactlyInAnyOrderElementsOf(expected);
  }

  private static Table table(Path location) {
    return new HadoopTables(new Configuration()).load(location.toUri().toString());
  }

  /** Every row of the table, read by Iceberg's generic reader. */
  private static List<Record> records(Table table) {
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      rows.forEach(r -> out.add(r.copy()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** {@code fields} of a served row (a map) or a read one (a record), as text. */
  private static Map<String, String> text(Object row, List<String> fields) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String field : fields) {
      Object value = row instanceof Record r ? r.getField(field) : ((Map<?, ?>) row).get(field);
      // A timestamp (inferred from ISO-8601 text) reads back as an OffsetDateTime: compare instants.
      if (value instanceof OffsetDateTime at) {
        value = at.toInstant();
      }
      out.put(field, value == null ? null : value.toString());
    }
    return out;
  }
}
