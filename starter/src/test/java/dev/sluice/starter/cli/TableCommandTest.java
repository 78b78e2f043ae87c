package dev.sluice.starter.cli;

import static dev.sluice.starter.iceberg.JavaTables.append;
import static dev.sluice.starter.iceberg.JavaTables.row;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.iceberg.IcebergCatalogs;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.starter.iceberg.JavaTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableCommandTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "day", Types.StringType.get()));

  @TempDir Path dir;
  private Path pipeline;
  private Table table;

  @BeforeEach
  void pipelineWithAnIcebergSink() throws Exception {
    String warehouse = dir.resolve("warehouse").toUri().toString();
    pipeline = dir.resolve("p.yaml");
    String yaml =
        Files.readString(CliRun.minimalPipeline(dir))
            .replace(
                "sink:\n  type: parquet\n  path: out/minimal\n",
                "sink:\n  type: iceberg\n  catalog:\n    type: hadoop\n    warehouse: "
                    + warehouse
                    + "\n  table: crm.contacts\n  partitionBy: [identity(day)]\n");
    Files.writeString(pipeline, yaml);
    IcebergSink sink =
        new IcebergSink(
            new IcebergCatalogSpec.Hadoop(warehouse),
            "crm.contacts",
            null,
            List.of("identity(day)"),
            null,
            null,
            null,
            null, null);
    table =
        new IcebergCatalogs(HadoopFiles.defaultConfiguration(), SecretResolver.fromSystem())
            .loadOrCreate(sink, SCHEMA);
  }

  @Test
  void givenSmallFiles_whenRewriteFiles_thenOnePerPartitionAndTheSameRows() {
    for (int i = 0; i < 3; i++) {
      append(table, List.of(row(table, "id", (long) i, "day", "d1"), row(table, "id", 10L + i, "day", "d2")), Map.of());
    }
    List<String> before = JavaTables.rows(table);

    CliRun run = CliRun.run("table", "rewrite-files", pipeline.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("rewrote 2 partition(s) of crm.contacts").contains("day=d1").contains("3 files -> 1, 3 rows");
    assertThat(JavaTables.rows(table)).isEqualTo(before);
  }

  @Test
  void givenOldSnapshots_whenExpireSnapshotsDryRunThenForReal_thenOnlyTheRealRunExpires() {
    append(table, List.of(row(table, "id", 1L, "day", "d1")), Map.of());
    append(
        table,
        List.of(row(table, "id", 2L, "day", "d1")),
        Map.of("sluice.run-key", "a", "sluice.window-key", "w1", "sluice.window", "2026-12-01"));
    append(table, List.of(row(table, "id", 3L, "day", "d1")), Map.of());

    CliRun dry = CliRun.run("table", "expire-snapshots", pipeline.toString(), "--older-than", "1ms", "--dry-run");
    CliRun real = CliRun.run("table", "expire-snapshots", pipeline.toString(), "--older-than", "1ms", "--output", "json");

    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("would expire 1 snapshot(s) of crm.contacts; kept 2:").contains("the newest commit of its window (window 2026-12-01)");
    assertThat(real.exitCode()).as(real.err()).isZero();
    assertThat(real.out()).contains("\"expired\"").contains("\"WINDOW\"");
    table.refresh();
    assertThat(StreamSupport.stream(table.snapshots().spliterator(), false)).hasSize(2);
    assertThat(JavaTables.rows(table)).hasSize(3);
  }

  @Test
  void givenAnOldAbortedFile_whenRemoveOrphanFiles_thenItGoesAndLiveFilesStay() throws Exception {
    append(table, List.of(row(table, "id", 1L, "day", "d1")), Map.of());
    Path aborted = Path.of(java.net.URI.create(table.location())).resolve("data/sluice-run-x/part-0.parquet");
    Files.createDirectories(aborted.getParent());
    Files.writeString(aborted, "x");
    Files.setLastModifiedTime(aborted, java.nio.file.attribute.FileTime.fromMillis(0));

    CliRun run = CliRun.run("table", "remove-orphan-files", pipeline.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("deleted 1 orphan file(s)").contains("sluice-run-x/part-0.parquet");
    assertThat(aborted).doesNotExist();
    assertThat(JavaTables.rows(table)).hasSize(1);
  }

  @Test
  void givenAParquetSink_whenTableCommand_thenRefusedWithExitTwo() throws Exception {
    CliRun run = CliRun.run("table", "rewrite-files", CliRun.minimalPipeline(dir).toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("table maintenance is for iceberg sinks");
  }

  @Test
  void givenAnOverwriteWindowSink_whenRewriteFiles_thenRefusedWithExitTwo() throws Exception {
    Files.writeString(pipeline, Files.readString(pipeline).replace("  table: crm.contacts\n", "  table: crm.contacts\n  mode: overwrite-window\n"));

    CliRun run = CliRun.run("table", "rewrite-files", pipeline.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("overwrite-window");
  }

  @Test
  void givenABadSize_whenRewriteFiles_thenRefusedWithExitTwo() {
    CliRun run = CliRun.run("table", "rewrite-files", pipeline.toString(), "--target-file-size", "big");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("--target-file-size 'big' is not a size such as 128MB");
  }

  // sluice state show|windows|reset on the same table: its state is in the snapshot summaries.

  @Test
  void givenWindowCommits_whenStateShowAndWindows_thenWatermarkAndRangesComeFromTheSummaries()
      throws Exception {
    append(table, List.of(row(table, "id", 1L, "day", "d1")), window("run-a", "w1", "2026-12-01", "0", "10", "10"));
    append(table, List.of(row(table, "id", 2L, "day", "d2")), window("run-b", "w2", "2026-12-02", "10", "20", "20"));
    append(table, List.of(row(table, "id", 3L, "day", "d1")), window("run-a2", "w1", "2026-12-01", "0", "12", "20"));
    append(table, List.of(row(table, "id", 4L, "day", "d1")), Map.of()); // e.g. a compaction
    Path lease = Path.of(java.net.URI.create(table.location())).resolve("_sluice/leases/head.json");
    Files.createDirectories(lease.getParent());
    Files.writeString(
        lease,
        "{\"workflowId\":\"ingest/p/x\",\"firstRunId\":\"r9\",\"window\":\"w3\","
            + "\"claimedAt\":\"2026-12-03T00:00:00Z\"}");

    CliRun show = CliRun.run("state", "show", pipeline.toString());
    CliRun windows = CliRun.run("state", "windows", pipeline.toString(), "--output", "json");

    assertThat(show.exitCode()).as(show.err()).isZero();
    assertThat(show.out())
        .contains("watermark     20  (id, by run-a2 at 2026-12-07T00:00:00Z)")
        .contains("windows       2")
        .contains("(0, 12]")
        .doesNotContain("(0, 10]")
        .contains("held          head by ingest/p/x");
    assertThat(windows.exitCode()).as(windows.err()).isZero();
    var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(windows.out());
    assertThat(json).hasSize(2);
    assertThat(json.get(0).path("window").asText()).isEqualTo("2026-12-01");
    assertThat(json.get(0).path("to").asText()).isEqualTo("12");
    assertThat(json.get(0).path("workflowId").asText()).isEqualTo("ingest/p/run-a2");
    assertThat(json.get(1).path("from").asText()).isEqualTo("10");
  }

  @Test
  void givenAnIcebergSink_whenStateReset_thenRefusedWithExitTwo() {
    CliRun run = CliRun.run("state", "reset", pipeline.toString(), "--to", "5", "--yes");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("rollback_to_snapshot");
  }

  /** The summary the sink writes for a commit of window {@code key}, range (from, to]. */
  private static Map<String, String> window(
      String run, String key, String window, String from, String to, String watermark) {
    return Map.of(
        "sluice.run-key", run,
        "sluice.window-key", key,
        "sluice.window", window,
        "sluice.watermark-column", "id",
        "sluice.watermark-from", from,
        "sluice.watermark-to", to,
        "sluice.watermark", watermark,
        "sluice.workflow-id", "ingest/p/" + run,
        "sluice.committed-at", "2026-12-07T00:00:00Z");
  }

  @Test
  void givenScheduleFlags_whenParsed_thenTheRunsInputHasTheStepsLeftInWithTheirPolicies() {
    TableScheduleCommand cmd =
        CliRun.parse("table", "schedule", pipeline.toString(), "--every", "1d", "--no-orphans",
            "--target-file-size", "64MB", "--expire-older-than", "2d");
    IcebergSink sink = new IcebergSink(new IcebergCatalogSpec.Hadoop("file:///w"), "crm.contacts",
        null, null, null, null, null, null, null);

    var input = cmd.input("contacts", sink);
    var overwriteWindow = cmd.input("contacts", sink.withMode("overwrite-window"));

    assertThat(cmd.flags.every()).isEqualTo(java.time.Duration.ofDays(1));
    assertThat(input.expire().olderThan()).isEqualTo(java.time.Duration.ofDays(2));
    assertThat(input.expire().retainLast()).isEqualTo(1);
    assertThat(input.rewrite().targetFileSize()).isEqualTo("64MB");
    assertThat(input.orphans()).isNull();
    assertThat(overwriteWindow.rewrite()).as("compaction would break overwrite-window re-runs").isNull();
  }

  @Test
  void givenNoTiming_whenANewMaintenanceScheduleIsBuilt_thenItAsksWhenItRuns() {
    TableScheduleCommand cmd = CliRun.parse("table", "schedule", pipeline.toString());

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ScheduleDefinitions.withAction(null, cmd.flags,
                io.temporal.client.schedules.ScheduleActionStartWorkflow.newBuilder()
                    .setWorkflowType("TableMaintenanceWorkflow")
                    .setOptions(io.temporal.client.WorkflowOptions.newBuilder()
                        .setWorkflowId("table-maintenance/p").setTaskQueue("q").build())
                    .build()))
        .hasMessageContaining("--cron EXPR or --every DURATION");
  }
}
