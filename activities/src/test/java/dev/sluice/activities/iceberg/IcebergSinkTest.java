package dev.sluice.activities.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.activities.iceberg.maintenance.FileCompaction;
import dev.sluice.activities.parquet.SchemaMismatchException;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.DiscardRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowResult;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The iceberg sink's staging and commit, activity by activity, on a Hadoop catalog on file://. */
class IcebergSinkTest {
  private static final List<String> COLUMNS = List.of("id", "ts", "amount");
  private static final List<ColumnSpec> TYPES =
      List.of(
          new ColumnSpec("id", "long", null),
          new ColumnSpec("ts", "timestamp", null),
          new ColumnSpec("amount", "long", null));

  @TempDir Path dir;
  private final IcebergRuns runs = new IcebergRuns();

  private IcebergSink sink(String mode, List<String> partitionBy) {
    return new IcebergSink(
        new IcebergCatalogSpec.Hadoop(dir.resolve("wh").toUri().toString()),
        "lake.orders",
        mode,
        partitionBy,
        null,
        null,
        TYPES,
        null,
        null);
  }

  private static Object[] row(long id, String ts, long amount) {
    return new Object[] {Long.toString(id), ts, Long.toString(amount)};
  }

  private static List<Object[]> rows(Object[]... rows) {
    return List.of(rows);
  }

  private static long snapshots(Table table) {
    table.refresh();
    return Stream.of(table.snapshots())
        .flatMap(s -> java.util.stream.StreamSupport.stream(s.spliterator(), false))
        .count();
  }

  @Test
  void givenAPublishRetriedAfterItsCommit_whenPublishedAgain_thenOneSnapshotHoldsTheRowsOnce() {
    IcebergSink sink = sink("append", List.of());
    IcebergRuns.Staged staged =
        runs.stage(
            sink,
            "2026-11-01",
            "run-1",
            COLUMNS,
            rows(row(1, "2026-11-01T01:00:00Z", 10), row(2, "2026-11-01T02:00:00Z", 20)),
            null,
            "2026-11-01T02:00:00Z");

    PublishResult first = runs.activities.publish(staged.publish());
    // The answer was lost: the activity is retried with the same request.
    PublishResult again = runs.activities.publish(staged.publish());

    Table table = runs.table(sink);
    assertThat(snapshots(table)).isEqualTo(1);
    assertThat(runs.column(sink, "id")).containsExactlyInAnyOrder("1", "2");
    assertThat(again).isEqualTo(first);
    Snapshot current = table.currentSnapshot();
    assertThat(current.summary())
        .containsEntry(SnapshotLog.Key.RUN_KEY.key(), staged.publish().runKey())
        .containsEntry(SnapshotLog.Key.WINDOW.key(), "2026-11-01")
        .containsEntry(SnapshotLog.Key.WATERMARK_TO.key(), "2026-11-01T02:00:00Z")
        .containsEntry(SnapshotLog.Key.PIPELINE.key(), "p")
        .containsEntry(SnapshotLog.Key.ROWS.key(), "2");
  }

  @Test
  void givenAWorkerKilledBetweenCommitAndVersionHint_whenThePublishIsRetried_thenTheHintIsRepaired()
      throws Exception {
    IcebergSink sink = sink("append", List.of());
    runs.run(sink, "2026-10-31", "r0", COLUMNS, rows(row(9, "2026-10-31T01:00:00Z", 90)));
    IcebergRuns.Staged staged =
        runs.stage(
            sink,
            "2026-11-01",
            "r1",
            COLUMNS,
            rows(row(1, "2026-11-01T01:00:00Z", 10)),
            null,
            "2026-11-01T01:00:00Z");
    runs.activities.publish(staged.publish());
    Path hint = dir.resolve("wh/lake/orders/metadata/version-hint.text");
    String committed = Files.readString(hint).trim();
    // What a kill after the metadata rename and before the hint leaves: the hint one behind.
    Files.writeString(hint, Integer.toString(Integer.parseInt(committed) - 1));

    runs.activities.publish(staged.publish());

    assertThat(Files.readString(hint).trim()).isEqualTo(committed);
    assertThat(runs.column(sink, "id")).containsExactlyInAnyOrder("9", "1");
  }

  @Test
  void givenSeveralRuns_whenTheWatermarkIsRead_thenItIsTheNewestStoredInTheSummaries() {
    IcebergSink sink = sink("append", List.of());
    runs.run(sink, "2026-11-01", "r1", COLUMNS, rows(row(1, "2026-11-01T05:00:00Z", 1)));
    runs.run(sink, "2026-11-02", "r2", COLUMNS, rows(row(2, "2026-11-02T07:00:00Z", 1)));

    String watermark = runs.activities.readWatermark(new WatermarkRequest(sink)).watermark();
    assertThat(watermark).isEqualTo("2026-11-02T07:00:00Z");
    assertThat(Files.exists(dir.resolve("wh/lake/orders/_sluice/watermark.json"))).isFalse();
  }

  @Test
  void givenACommittedWindow_whenReopenedByARerun_thenItsRangeComesFromTheSummary() {
    IcebergSink sink = sink("overwrite-window", List.of());
    IcebergRuns.Staged first =
        runs.stage(
            sink,
            "2026-11-01",
            "r1",
            COLUMNS,
            rows(row(1, "2026-11-01T05:00:00Z", 1)),
            "2026-10-31T00:00:00Z",
            "2026-11-01T05:00:00Z");
    runs.activities.publish(first.publish());

    String key = first.publish().runKey();
    OpenWindowResult reopened =
        runs.activities.openWindow(
            new OpenWindowRequest(
                sink, key, "2026-11-01", new Holder("ingest/p/2026-11-01", "r2"), "ts"));
    assertThat(reopened.committed().from()).isEqualTo("2026-10-31T00:00:00Z");
    assertThat(reopened.committed().to()).isEqualTo("2026-11-01T05:00:00Z");
    assertThat(reopened.committed().runId()).isEqualTo("r1");
  }

  @Test
  void givenOverwriteWindow_whenAnOlderWindowRunsAgain_thenExactlyItsRowsAreReplaced() {
    IcebergSink sink = sink("overwrite-window", List.of());
    runs.run(
        sink,
        "2026-11-01",
        "r1",
        COLUMNS,
        rows(row(1, "2026-11-01T01:00:00Z", 10), row(2, "2026-11-01T02:00:00Z", 20)));
    runs.run(sink, "2026-11-02", "r2", COLUMNS, rows(row(3, "2026-11-02T01:00:00Z", 30)));

    runs.run(
        sink,
        "2026-11-01",
        "r3",
        COLUMNS,
        rows(
            row(1, "2026-11-01T01:00:00Z", 11),
            row(2, "2026-11-01T02:00:00Z", 21),
            row(4, "2026-11-01T03:00:00Z", 40)));

    assertThat(runs.column(sink, "id")).containsExactlyInAnyOrder("1", "2", "3", "4");
    assertThat(runs.column(sink, "amount")).containsExactlyInAnyOrder("11", "21", "30", "40");
  }

  @Test
  void givenAppend_whenTheSameWindowRunsAgainInANewRun_thenItsEarlierRowsAreReplacedNotDoubled() {
    IcebergSink sink = sink("append", List.of());
    runs.run(
        sink,
        "2026-11-01",
        "r1",
        COLUMNS,
        rows(row(1, "2026-11-01T01:00:00Z", 10), row(2, "2026-11-01T02:00:00Z", 20)));
    runs.run(sink, "2026-11-02", "r2", COLUMNS, rows(row(3, "2026-11-02T01:00:00Z", 30)));

    // A new Temporal run of the first window (a re-run after its workflow failed past the commit).
    runs.run(
        sink,
        "2026-11-01",
        "r3",
        COLUMNS,
        rows(row(1, "2026-11-01T01:00:00Z", 11), row(2, "2026-11-01T02:00:00Z", 21)));

    assertThat(runs.column(sink, "id")).containsExactlyInAnyOrder("1", "2", "3");
    assertThat(runs.column(sink, "amount")).containsExactlyInAnyOrder("11", "21", "30");
  }

  @Test
  void givenAppendRowsACompactionRewrote_whenTheirWindowRunsAgain_thenRefusedAndNothingChanges() {
    IcebergSink sink = sink("append", List.of());
    runs.run(sink, "2026-11-01", "r1", COLUMNS, rows(row(1, "2026-11-01T01:00:00Z", 10)));
    runs.run(sink, "2026-11-02", "r2", COLUMNS, rows(row(2, "2026-11-02T01:00:00Z", 20)));
    org.apache.iceberg.Table table = runs.table(sink);
    assertThat(FileCompaction.rewrite(table, 128L << 20).snapshotId()).isNotNull();
    long compacted = runs.table(sink).currentSnapshot().snapshotId();

    assertThatThrownBy(
            () ->
                runs.run(
                    sink, "2026-11-01", "r3", COLUMNS, rows(row(1, "2026-11-01T01:00:00Z", 10))))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo(FailureType.WINDOW_WITHOUT_RANGE.type());
              assertThat(f.isNonRetryable()).isTrue();
            })
        .hasMessageContaining("were rewritten by a compaction")
        .hasMessageContaining("snapshot " + compacted)
        .hasMessageContaining("a re-run would add them twice; nothing was committed");
    assertThat(runs.table(sink).currentSnapshot().snapshotId()).isEqualTo(compacted);
    assertThat(runs.column(sink, "id")).containsExactlyInAnyOrder("1", "2");
  }

  @Test
  void givenSnapshotMode_whenASecondRunCommits_thenTheTableHoldsOnlyItsRows() {
    IcebergSink sink = sink("snapshot", List.of());
    runs.run(sink, "2026-11-01", "r1", COLUMNS, rows(row(1, "2026-11-01T01:00:00Z", 10)));
    runs.run(sink, "2026-11-02", "r2", COLUMNS, rows(row(2, "2026-11-02T01:00:00Z", 20)));

    assertThat(runs.column(sink, "id")).containsExactly("2");
  }

  @Test
  void givenDayPartitioning_whenRowsOfTwoDaysLand_thenEachFileHoldsOneDay() {
    IcebergSink sink = sink("append", List.of("day(ts)"));
    runs.run(
        sink,
        "2026-11-02",
        "r1",
        COLUMNS,
        rows(
            row(1, "2026-11-01T23:00:00Z", 1),
            row(2, "2026-11-02T01:00:00Z", 2),
            row(3, "2026-11-01T22:00:00Z", 3)));

    Table table = runs.table(sink);
    List<String> partitions =
        java.util.stream.StreamSupport.stream(
                table.currentSnapshot().addedDataFiles(table.io()).spliterator(), false)
            .map(f -> table.spec().partitionToPath(f.partition()) + ":" + f.recordCount())
            .toList();
    assertThat(partitions).containsExactlyInAnyOrder("ts_day=2026-11-01:2", "ts_day=2026-11-02:1");
    assertThat(runs.column(sink, "id")).containsExactlyInAnyOrder("1", "2", "3");
  }

  @Test
  void givenANewColumn_whenTheNextRunHasIt_thenTheTableGainsItAndOldRowsReadNull() {
    IcebergSink sink = sink("append", List.of());
    runs.run(sink, "2026-11-01", "r1", COLUMNS, rows(row(1, "2026-11-01T01:00:00Z", 10)));
    runs.run(
        sink,
        "2026-11-02",
        "r2",
        List.of("id", "ts", "amount", "note"),
        rows(new Object[] {"2", "2026-11-02T01:00:00Z", "20", "hello"}));

    assertThat(runs.table(sink).schema().findField("note").type())
        .isEqualTo(Types.StringType.get());
    assertThat(runs.column(sink, "note")).containsExactlyInAnyOrder("null", "hello");
  }

  @Test
  void givenATableWithAnIntColumn_whenARunWritesLongs_thenTheColumnIsWidened() {
    IcebergSink sink = sink("append", List.of());
    createTable(sink, Types.IntegerType.get());

    runs.run(
        sink, "2026-11-01", "r1", COLUMNS, rows(row(1, "2026-11-01T01:00:00Z", 5_000_000_000L)));

    assertThat(runs.table(sink).schema().findField("amount").type())
        .isEqualTo(Types.LongType.get());
    assertThat(runs.column(sink, "amount")).containsExactly("5000000000");
  }

  @Test
  void givenATableWithALongColumn_whenARunHasDoubles_thenItIsRefusedBeforeAnyFileIsWritten() {
    IcebergSink sink = sink("append", List.of());
    createTable(sink, Types.LongType.get());
    IcebergSink doubles =
        new IcebergSink(
            sink.catalog(),
            sink.table(),
            "append",
            List.of(),
            null,
            null,
            List.of(new ColumnSpec("amount", "double", null)),
            null,
            null);

    assertThatThrownBy(
            () ->
                runs.stage(
                    doubles,
                    "2026-11-01",
                    "r1",
                    COLUMNS,
                    rows(row(1, "2026-11-01T01:00:00Z", 5)),
                    null,
                    null))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("column amount: the iceberg table")
        .hasMessageContaining("has long, this run has double");
    Path staging = dir.resolve("wh/lake/orders/data");
    try (Stream<Path> written = Files.exists(staging) ? Files.walk(staging) : Stream.empty()) {
      assertThat(written.filter(p -> p.toString().endsWith(".parquet"))).isEmpty();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(runs.table(sink).schema().findField("amount").type())
        .isEqualTo(Types.LongType.get());
  }

  @Test
  void givenAFailedRun_whenItsStagingIsDiscarded_thenItsFilesGoAndCommittedFilesStay() {
    IcebergSink sink = sink("overwrite-window", List.of());
    runs.run(sink, "2026-11-01", "r1", COLUMNS, rows(row(1, "2026-11-01T01:00:00Z", 10)));
    IcebergRuns.Staged failed =
        runs.stage(
            sink,
            "2026-11-01",
            "r2",
            COLUMNS,
            rows(row(9, "2026-11-01T01:00:00Z", 90)),
            null,
            null);

    runs.activities.discardStaging(new DiscardRequest(sink, failed.publish().stagingUri()));

    assertThat(runs.column(sink, "id")).containsExactly("1");
    try (Stream<Path> left = Files.walk(dir.resolve("wh/lake/orders/data"))) {
      assertThat(left.filter(p -> p.toString().endsWith(".parquet")).count()).isEqualTo(1);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void
      givenAWindowReplacedByARerun_whenALaterRunOfItFails_thenTheDiscardKeepsTheOlderSnapshotsFiles()
          throws Exception {
    IcebergSink sink = sink("overwrite-window", List.of());
    runs.run(sink, "2026-11-01", "r1", COLUMNS, rows(row(1, "2026-11-01T01:00:00Z", 10)));
    long first = runs.table(sink).currentSnapshot().snapshotId();
    runs.run(sink, "2026-11-01", "r2", COLUMNS, rows(row(2, "2026-11-01T01:00:00Z", 20)));
    IcebergRuns.Staged failed =
        runs.stage(
            sink,
            "2026-11-01",
            "r3",
            COLUMNS,
            rows(row(9, "2026-11-01T01:00:00Z", 90)),
            null,
            null);

    runs.activities.discardStaging(new DiscardRequest(sink, failed.publish().stagingUri()));

    assertThat(runs.column(sink, "id")).containsExactly("2");
    org.apache.iceberg.Table table = runs.table(sink);
    List<String> timeTravel = new java.util.ArrayList<>();
    try (var rows =
        org.apache.iceberg.data.IcebergGenerics.read(table).useSnapshot(first).build()) {
      rows.forEach(r -> timeTravel.add(String.valueOf(r.getField("id"))));
    }
    assertThat(timeTravel)
        .as("the replaced run's rows, read as of its snapshot")
        .containsExactly("1");
  }

  private void createTable(IcebergSink sink, org.apache.iceberg.types.Type amount) {
    Schema schema =
        new Schema(
            Types.NestedField.optional(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "ts", Types.TimestampType.withZone()),
            Types.NestedField.optional(3, "amount", amount));
    var catalog = runs.catalogs.catalog(sink.catalog());
    if (catalog instanceof SupportsNamespaces ns && !ns.namespaceExists(Namespace.of("lake"))) {
      ns.createNamespace(Namespace.of("lake"));
    }
    catalog.createTable(IcebergCatalogs.identifier(sink), schema);
  }
}
