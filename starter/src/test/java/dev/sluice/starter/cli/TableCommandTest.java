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
}
