package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.GenericData;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.dev.DevEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Example pipelines with an {@code iceberg} sink run through {@code sluice run} against the
 * sandbox, the table read back with Iceberg's generic reader (no code shared with the writer) and
 * compared row for row with what the provider holds.
 */
class IcebergEndToEndTest {
  private static final String QUEUE = "e2e-iceberg";
  private static final long SEED = 11;

  @TempDir Path work;
  private DevEnvironment dev;

  @AfterEach
  void stopStack() {
    if (dev != null) {
      dev.close();
    }
  }

  private String[] args(String... head) {
    return Stream.concat(
            Stream.of(head),
            Stream.of("--address", dev.temporal().address(), "--task-queue", QUEUE))
        .toArray(String[]::new);
  }

  private Cli run(Path pipeline, String logicalDate) {
    Cli run = Cli.run(args("run", pipeline.toString(), "--wait", "--logical-date", logicalDate));
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return run;
  }

  @Test
  void givenTheIcebergGenericExample_whenRun_thenTheTableHoldsEveryEventOnce() throws Exception {
    int events = 1200;
    dev = DevEnvironment.start(0, SandboxConfig.defaults().withSeed(SEED).withEventRecords(events), QUEUE);
    Path pipeline = work.resolve("p/events.yaml");
    Files.createDirectories(pipeline.getParent());
    Files.copy(Path.of("../examples/iceberg-generic-export.yaml"), pipeline);

    run(pipeline, "2026-11-22T00:00:00Z");
    run(pipeline, "2026-11-23T00:00:00Z"); // snapshot mode: the second run replaces the first

    Table table = table(work.resolve("p/out/warehouse/lake/events"));
    List<Map<String, String>> expected = new ArrayList<>();
    for (Map<String, Object> served : GenericData.rows(SEED, 0, events)) {
      expected.add(text(served, GenericData.FIELDS));
    }
    List<Map<String, String>> read = new ArrayList<>();
    for (Record r : records(table)) {
      read.add(text(r, GenericData.FIELDS));
    }
    read.sort((a, b) -> Long.compare(Long.parseLong(a.get("id")), Long.parseLong(b.get("id"))));
    assertThat(read).containsExactlyElementsOf(expected);
    assertThat(table.currentSnapshot().summary()).containsEntry("sluice.pipeline", "generic-events");
  }

  @Test
  void givenTheSalesforceExampleInOverwriteWindowMode_whenRunIncrementallyAndAnOlderWindowAgain_thenNoRowIsLostOrDuplicated()
      throws Exception {
    dev = DevEnvironment.start(0, SandboxConfig.defaults().withSeed(SEED).withContactRecords(500), QUEUE);
    Path pipeline = work.resolve("sf/contacts.yaml");
    Files.createDirectories(pipeline.getParent());
    String yaml = Files.readString(Path.of("../examples/salesforce-bulk-contacts.yaml"));
    Files.writeString(
        pipeline,
        yaml.replace(
            "  type: parquet\n  path: out/salesforce-contacts     # relative to this file\n  mode: append\n",
            "  type: iceberg\n  catalog: {warehouse: out/warehouse}\n  table: crm.contacts\n"
                + "  mode: overwrite-window\n  partitionBy: [month(CreatedDate)]\n"));
    Path location = work.resolve("sf/out/warehouse/crm/contacts");

    run(pipeline, "2026-11-01T00:00:00Z");
    dev.sandbox().salesforce().addContacts(10);
    Cli second = run(pipeline, "2026-11-02T00:00:00Z");
    assertThat(second.out()).contains("rows          10 from 1 page");
    assertTableHoldsExactlyWhatTheProviderHolds(location, 510);

    run(pipeline, "2026-11-01T00:00:00Z"); // the older window again: exactly its own rows
    assertTableHoldsExactlyWhatTheProviderHolds(location, 510);
    dev.sandbox().salesforce().addContacts(5);
    assertThat(run(pipeline, "2026-11-03T00:00:00Z").out()).contains("rows          5 from 1 page");
    assertTableHoldsExactlyWhatTheProviderHolds(location, 515);
  }

  private void assertTableHoldsExactlyWhatTheProviderHolds(Path location, int count)
      throws IOException {
    List<String> ids = new ArrayList<>();
    for (Record r : records(table(location))) {
      ids.add(r.getField("Id") + "@" + r.getField("SystemModstamp"));
    }
    List<String> expected = new ArrayList<>();
    for (Map<String, String> row : ContactData.rows(SEED, 0, dev.sandbox().salesforce().contactCount())) {
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

  private static List<Record> records(Table table) throws IOException {
    List<Record> out = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(table).build()) {
      rows.forEach(r -> out.add(r.copy()));
    }
    return out;
  }

  private static Map<String, String> text(Object row, List<String> fields) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String field : fields) {
      Object value = row instanceof Record r ? r.getField(field) : ((Map<?, ?>) row).get(field);
      // A timestamp (inferred from ISO-8601 text) reads back as an OffsetDateTime: compare instants.
      if (value instanceof java.time.OffsetDateTime at) {
        value = at.toInstant();
      }
      out.put(field, value == null ? null : value.toString());
    }
    return out;
  }
}
