package dev.sluice.activities.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work units sharing one Iceberg table, activity by activity: each unit's rows in its own
 * partition, its commits, watermark, leases and re-runs its own. Read back by Iceberg's generic
 * reader, which fills the unit's column from the partition.
 */
class IcebergUnitsTest {
  private static final List<String> COLUMNS = List.of("id", "ts");

  @TempDir Path dir;
  private final IcebergRuns runs = new IcebergRuns();

  private IcebergSink table(String mode) {
    return new IcebergSink(
        new IcebergCatalogSpec.Hadoop(dir.resolve("wh").toUri().toString()),
        "survey.responses",
        mode,
        null,
        null,
        null,
        List.of(new ColumnSpec("ts", "timestamp", null)),
        null, null);
  }

  private static IcebergSink unit(IcebergSink table, String value) {
    return table.forUnit("survey_id", value, table.path() + "/survey_id=" + value);
  }

  private static Object[] row(String id, String ts) {
    return new Object[] {id, ts};
  }

  /** Each row as {@code id@survey_id}. */
  private List<String> rows(IcebergSink sink) {
    return runs.read(sink).stream()
        .map((Record r) -> r.getField("id") + "@" + r.getField("survey_id"))
        .toList();
  }

  @Test
  void givenTwoUnitsRunningOneWindowAtOnce_whenBothCommit_thenEachUnitsRowsAreInItsPartition() {
    IcebergSink a = unit(table("snapshot"), "S-1");
    IcebergSink b = unit(table("snapshot"), "S-2");
    // Both hold the window's lease at once: each unit's lease is its own.
    IcebergRuns.Staged first =
        runs.stage(
            a, "2026-11-01", "run-a", COLUMNS,
            List.<Object[]>of(row("a1", "2026-11-01T01:00:00Z"), row("a2", "2026-11-01T02:00:00Z")),
            null, "2026-11-01T02:00:00Z");
    IcebergRuns.Staged second =
        runs.stage(
            b, "2026-11-01", "run-b", COLUMNS, List.<Object[]>of(row("b1", "2026-11-01T05:00:00Z")),
            null, "2026-11-01T05:00:00Z");
    runs.activities.publish(first.publish());
    runs.activities.publish(second.publish());
    // A retried publish finds its unit's commit by its own token.
    runs.activities.publish(first.publish());

    Table table = runs.table(a);
    assertThat(rows(a)).containsExactlyInAnyOrder("a1@S-1", "a2@S-1", "b1@S-2");
    assertThat(StreamSupport.stream(table.snapshots().spliterator(), false)
            .filter(s -> s.summary().containsKey(SnapshotLog.Key.COMMIT.key())))
        .hasSize(2);
    assertThat(table.spec().fields()).singleElement()
        .satisfies(f -> assertThat(f.transform().toString()).isEqualTo("identity"));
    assertThat(table.currentSnapshot().summary())
        .containsEntry(SnapshotLog.Key.UNIT.key(), "S-2");
    assertThat(runs.activities.readWatermark(new WatermarkRequest(a)).watermark())
        .isEqualTo("2026-11-01T02:00:00Z");
    assertThat(runs.activities.readWatermark(new WatermarkRequest(b)).watermark())
        .isEqualTo("2026-11-01T05:00:00Z");
  }

  @Test
  void givenAUnitRunAgain_whenItCommits_thenOnlyThatUnitsRowsAreReplaced() {
    for (String mode : List.of("snapshot", "append", "overwrite-window")) {
      IcebergSink table = table(mode).withCatalog(
          new IcebergCatalogSpec.Hadoop(dir.resolve(mode).toUri().toString()));
      IcebergSink a = unit(table, "S-1");
      IcebergSink b = unit(table, "S-2");
      runs.run(a, "2026-11-01", "run-a", COLUMNS, List.<Object[]>of(row("a1", "2026-11-01T01:00:00Z")));
      runs.run(b, "2026-11-01", "run-b", COLUMNS, List.<Object[]>of(row("b1", "2026-11-01T01:00:00Z")));

      // The same unit and window in a new Temporal run (a re-run of the window).
      runs.run(a, "2026-11-01", "run-a2", COLUMNS, List.<Object[]>of(row("a1'", "2026-11-01T01:00:00Z")));

      assertThat(rows(a)).as(mode).containsExactlyInAnyOrder("a1'@S-1", "b1@S-2");
    }
  }
}
