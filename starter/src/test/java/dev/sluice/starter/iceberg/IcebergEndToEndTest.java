package dev.sluice.starter.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.cli.CliRun;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.e2e.ParquetTables;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Table;
import org.apache.iceberg.hadoop.HadoopTables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Salesforce example with only its sink swapped for an iceberg sink, run from the CLI against
 * the sandbox, the embedded Temporal server and a worker; the table read back by pyiceberg (an
 * implementation other than the writer) and by Iceberg's Java generic reader, row for row against
 * the rows the sandbox served.
 */
@ExtendWith(PyIceberg.class)
class IcebergEndToEndTest {
  static final String QUEUE = "iceberg-e2e";
  static final long SEED = 42;
  static DevEnvironment dev;

  @TempDir static Path work;

  @BeforeAll
  static void startStack() {
    dev =
        DevEnvironment.start(
            0, SandboxConfig.defaults().withSeed(SEED).withContactRecords(1000), QUEUE);
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
  void givenOverwriteWindow_whenTheSameWindowRunsAgain_thenItsRowsAreReplacedNotDuplicated()
      throws Exception {
    Path dir = work.resolve("rerun");
    Path pipeline = pipeline(dir, "crm.contacts", "overwrite-window");
    String location = dir.resolve("warehouse/crm/contacts").toUri().toString();

    run(pipeline, "2026-11-05T00:00:00Z");
    run(pipeline, "2026-11-05T00:00:00Z");
    PyIceberg.Read read = PyIceberg.readTable(location);

    int count = dev.sandbox().salesforce().contactCount();
    assertThat(IcebergRows.contacts(read.rows())).containsExactlyElementsOf(served(0, count));
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
}
