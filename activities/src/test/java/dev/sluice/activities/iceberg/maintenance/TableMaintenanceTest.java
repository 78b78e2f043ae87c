package dev.sluice.activities.iceberg.maintenance;

import static dev.sluice.activities.iceberg.maintenance.TestTables.append;
import static dev.sluice.activities.iceberg.maintenance.TestTables.row;
import static dev.sluice.activities.iceberg.maintenance.TestTables.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.workflows.activities.RunKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableMaintenanceTest {
  @TempDir Path dir;

  private static Map<String, String> commit(String run, String window, String watermark) {
    return Map.of(
        SinkSummaries.RUN_KEY, run, SinkSummaries.WINDOW_KEY, window, SinkSummaries.WATERMARK, watermark);
  }

  @Test
  void givenManySmallFilesAcrossSchemaChanges_whenRewritten_thenOneFilePerPartitionAndRowsIdentical() {
    Table table = TestTables.create(dir.resolve("t"));
    long id = 0;
    for (int commit = 0; commit < 4; commit++) {
      if (commit == 2) {
        // Mid-history: a column added and a type widened, as the sink's schema evolution does.
        table.updateSchema().addColumn("note", Types.StringType.get()).commit();
        table.updateSchema().updateColumn("amount", Types.LongType.get()).commit();
      }
      for (String day : List.of("2026-12-01", "2026-12-02", "2026-12-03")) {
        List<Record> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
          Record r = row(table, "id", id++, "day", day);
          r.setField("amount", commit < 2 ? (Object) (int) id : (Object) (id * 1_000_000_000L));
          if (commit >= 2) {
            r.setField("note", i % 3 == 0 ? null : "n" + id);
          }
          batch.add(r);
        }
        append(table, batch, Map.of());
      }
    }
    List<String> before = rows(table);
    assertThat(TestTables.dataFiles(table)).isEqualTo(12);

    FileCompaction.Result result = FileCompaction.rewrite(table, 128L << 20);

    assertThat(result.rewritten()).hasSize(3);
    assertThat(result.rewritten())
        .allSatisfy(
            p -> {
              assertThat(p.filesBefore()).isEqualTo(4);
              assertThat(p.filesAfter()).isEqualTo(1);
              assertThat(p.rows()).isEqualTo(200);
            });
    assertThat(TestTables.dataFiles(table)).isEqualTo(3);
    assertThat(rows(table)).hasSize(600).containsExactlyElementsOf(before);
    Snapshot replace = table.currentSnapshot();
    assertThat(replace.snapshotId()).isEqualTo(result.snapshotId());
    assertThat(replace.operation()).isEqualTo("replace");
    assertThat(replace.summary()).containsEntry(SinkSummaries.MAINTENANCE, "rewrite-files");

    FileCompaction.Result again = FileCompaction.rewrite(table, 128L << 20);
    assertThat(again.snapshotId()).isNull();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(result.snapshotId());
  }

  @Test
  void givenOldSnapshots_whenExpired_thenWindowAndWatermarkCommitsStayAndTheTableReadsTheSame() {
    Table table = TestTables.create(dir.resolve("t"));
    long plain = append(table, List.of(row(table, "id", 2L, "day", "d2")), Map.of());
    long first = append(table, List.of(row(table, "id", 1L, "day", "d1")), commit("a", "w1", "1"));
    DataFile firstFile = table.currentSnapshot().addedDataFiles(table.io()).iterator().next();
    // Window w1 re-run: its rows replaced, in a snapshot that becomes w1's newest.
    table
        .newOverwrite()
        .overwriteByRowFilter(Expressions.equal("day", "d1"))
        .addFile(TestTables.write(table, List.of(row(table, "id", 10L, "day", "d1"))))
        .set(SinkSummaries.RUN_KEY, "c")
        .set(SinkSummaries.WINDOW_KEY, "w1")
        .set(SinkSummaries.WATERMARK, "1")
        .commit();
    long w1 = table.currentSnapshot().snapshotId();
    long w2 = append(table, List.of(row(table, "id", 3L, "day", "d3")), commit("b", "w2", "2"));
    long last = append(table, List.of(row(table, "id", 4L, "day", "d4")), Map.of());
    List<String> before = rows(table);

    Instant everything = Instant.now().plus(1, ChronoUnit.MINUTES);
    SnapshotExpiry.Result result = SnapshotExpiry.expire(table, everything, 1);

    assertThat(result.expired()).containsExactly(plain, first);
    assertThat(result.kept())
        .extracting(SnapshotExpiry.Kept::snapshotId, SnapshotExpiry.Kept::reason)
        .containsExactly(
            tuple(w1, SnapshotExpiry.Reason.WINDOW),
            tuple(w2, SnapshotExpiry.Reason.WINDOW),
            tuple(last, SnapshotExpiry.Reason.CURRENT));
    table.refresh();
    assertThat(StreamSupport.stream(table.snapshots().spliterator(), false))
        .extracting(Snapshot::snapshotId)
        .containsExactlyInAnyOrder(w2, w1, last);
    assertThat(rows(table)).isEqualTo(before);
    // The file the w1 re-run replaced was referenced by the expired snapshots only: it is gone.
    assertThat(Path.of(java.net.URI.create(firstFile.location()))).doesNotExist();
  }

  @Test
  void givenTwoWorkUnitsInOneWindow_whenExpired_thenEachUnitsNewestCommitOfItStays() {
    Table table = TestTables.create(dir.resolve("t"));
    long u2 = append(table, List.of(row(table, "id", 1L, "day", "d1")), unitCommit("b", "u2", "5"));
    long u1 = append(table, List.of(row(table, "id", 2L, "day", "d2")), unitCommit("c", "u1", "7"));
    long last = append(table, List.of(row(table, "id", 3L, "day", "d3")), Map.of());

    SnapshotExpiry.Result result =
        SnapshotExpiry.expire(table, Instant.now().plus(1, ChronoUnit.MINUTES), 1);

    assertThat(result.expired()).isEmpty();
    assertThat(result.kept())
        .extracting(SnapshotExpiry.Kept::snapshotId, SnapshotExpiry.Kept::reason)
        .as("window w1 of unit u2 is its own, however new u1's commit of w1 is")
        .containsExactly(
            tuple(u2, SnapshotExpiry.Reason.WINDOW),
            tuple(u1, SnapshotExpiry.Reason.WINDOW),
            tuple(last, SnapshotExpiry.Reason.CURRENT));
  }

  @Test
  void givenATableWorkUnitsWrite_whenRewritten_thenRefusedAndNothingChanges() {
    Table table = TestTables.create(dir.resolve("t"));
    append(table, List.of(row(table, "id", 1L, "day", "d1")), unitCommit("b", "u2", "5"));
    append(table, List.of(row(table, "id", 2L, "day", "d1")), unitCommit("c", "u2", "6"));
    long current = table.currentSnapshot().snapshotId();

    assertThatThrownBy(() -> FileCompaction.rewrite(table, 128L << 20))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("would break re-runs of the work units");
    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(current);
  }

  /** A commit of window w1 by work unit {@code unit}, with its watermark. */
  private static Map<String, String> unitCommit(String run, String unit, String watermark) {
    return Map.of(
        SinkSummaries.RUN_KEY,
        run,
        SinkSummaries.WINDOW_KEY,
        "w1",
        SinkSummaries.WATERMARK,
        watermark,
        SinkSummaries.UNIT,
        unit);
  }

  @Test
  void givenAWindowCommittedTwiceAndASnapshotBetween_whenExpired_thenTheWalkStillReachesBoth() {
    Table table = TestTables.create(dir.resolve("t"));
    long a = append(table, List.of(row(table, "id", 1L, "day", "d1")), commit("a", "w1", "1"));
    long b = append(table, List.of(row(table, "id", 2L, "day", "d1")), commit("b", "w1", "1"));
    long compaction = append(table, List.of(row(table, "id", 3L, "day", "d2")), Map.of());
    long w2 = append(table, List.of(row(table, "id", 4L, "day", "d3")), commit("c", "w2", "2"));

    SnapshotExpiry.Result result =
        SnapshotExpiry.expire(table, Instant.now().plus(1, ChronoUnit.MINUTES), 1);

    assertThat(result.expired()).isEmpty();
    assertThat(result.kept())
        .extracting(SnapshotExpiry.Kept::snapshotId, SnapshotExpiry.Kept::reason)
        .containsExactly(
            tuple(a, SnapshotExpiry.Reason.WINDOW_FILES),
            tuple(b, SnapshotExpiry.Reason.WINDOW),
            tuple(compaction, SnapshotExpiry.Reason.ANCESTRY),
            tuple(w2, SnapshotExpiry.Reason.CURRENT));
  }

  @Test
  void givenRecentSnapshots_whenExpiredOlderThanAnHourAgo_thenNothingGoes() {
    Table table = TestTables.create(dir.resolve("t"));
    append(table, List.of(row(table, "id", 1L, "day", "d1")), Map.of());
    append(table, List.of(row(table, "id", 2L, "day", "d1")), Map.of());

    SnapshotExpiry.Result result =
        SnapshotExpiry.expire(table, Instant.now().minus(1, ChronoUnit.HOURS), 1);

    assertThat(result.expired()).isEmpty();
    assertThat(result.kept()).extracting(SnapshotExpiry.Kept::reason)
        .containsExactly(SnapshotExpiry.Reason.RECENT, SnapshotExpiry.Reason.CURRENT);
  }

  @Test
  void givenFilesOfAnAbortedRun_whenOrphansRemoved_thenOnlyOldUnreferencedFilesGo() throws Exception {
    Table table = TestTables.create(dir.resolve("t"));
    append(table, List.of(row(table, "id", 1L, "day", "d1")), commit("a", "w1", "1"));
    DataFile live = table.currentSnapshot().addedDataFiles(table.io()).iterator().next();
    DataFile aborted = TestTables.write(table, List.of(row(table, "id", 2L, "day", "d1")));
    DataFile inFlight = TestTables.write(table, List.of(row(table, "id", 3L, "day", "d2")));
    Path stray = dir.resolve("t/data/sluice-run-x/part-0.parquet");
    Files.createDirectories(stray.getParent());
    Files.writeString(stray, "not even parquet");
    FileTime twoDaysAgo = FileTime.from(Instant.now().minus(2, ChronoUnit.DAYS));
    for (String location : List.of(live.location(), aborted.location())) {
      Files.setLastModifiedTime(Path.of(java.net.URI.create(location)), twoDaysAgo);
    }
    Files.setLastModifiedTime(stray, twoDaysAgo);
    Path lease = dir.resolve("t/_sluice/leases/w1.json");
    Files.createDirectories(lease.getParent());
    Files.writeString(lease, "{}");
    Files.setLastModifiedTime(lease, twoDaysAgo);
    List<String> before = rows(table);

    OrphanFiles.Result result = OrphanFiles.remove(table, Instant.now().minus(1, ChronoUnit.DAYS));

    assertThat(result.orphans())
        .extracting(o -> OrphanFiles.normalize(o.location()))
        .containsExactlyInAnyOrder(
            OrphanFiles.normalize(aborted.location()), OrphanFiles.normalize(stray.toUri().toString()));
    assertThat(result.tooYoung()).isEqualTo(1);
    assertThat(Path.of(java.net.URI.create(aborted.location()))).doesNotExist();
    assertThat(stray).doesNotExist();
    assertThat(Path.of(java.net.URI.create(live.location()))).exists();
    assertThat(Path.of(java.net.URI.create(inFlight.location()))).exists();
    assertThat(rows(table)).isEqualTo(before);
    assertThat(dir.resolve("t/metadata/version-hint.text")).exists();
    assertThat(lease).exists();
  }

  @Test
  void givenRunsStillStaging_whenOrphansRemoved_thenTheirFilesStayWhateverTheirAge()
      throws Exception {
    Path location = dir.resolve("ns/t");
    Table table = TestTables.create(location);
    append(table, List.of(row(table, "id", 1L, "day", "d1")), commit("a", "w1", "1"));
    IcebergSink sink =
        new IcebergSink(
            new IcebergCatalogSpec.Hadoop(dir.toUri().toString()),
            "ns.t",
            null, null, null, null, null, null, null);
    String holder = "ingest/p/2026-12-02T00:00:00Z";
    Path leased = staged(location, RunKeys.of(holder), "old");
    Path writing = staged(location, "ingest_p_2026-12-03T00-00-00Z", "old");
    Path writingNow = staged(location, "ingest_p_2026-12-03T00-00-00Z", "new");
    Path abandoned = staged(location, "ingest_p_2026-11-30T00-00-00Z", "old");
    Path lease = location.resolve("_sluice/leases/window-w2.json");
    Files.createDirectories(lease.getParent());
    Files.writeString(
        lease,
        "{\"workflowId\":\"" + holder + "\",\"firstRunId\":\"r1\",\"window\":\"w2\","
            + "\"claimedAt\":\"2026-12-02T00:00:00Z\"}");
    Set<String> held =
        RunsInProgress.runKeys(
            new HadoopFiles(new org.apache.hadoop.conf.Configuration()), sink);

    OrphanFiles.Result result =
        OrphanFiles.remove(table, Instant.now().minus(1, ChronoUnit.DAYS), held);

    assertThat(held).containsExactly(RunKeys.of(holder));
    assertThat(result.orphans())
        .extracting(o -> OrphanFiles.normalize(o.location()))
        .containsExactly(OrphanFiles.normalize(abandoned.toUri().toString()));
    assertThat(result.inProgress()).isEqualTo(3);
    assertThat(abandoned).doesNotExist();
    assertThat(leased).exists();
    assertThat(writing).exists();
    assertThat(writingNow).exists();
  }

  /** A file staged by run {@code runKey}, two days old unless {@code age} is "new". */
  private static Path staged(Path location, String runKey, String age) throws Exception {
    Path file = location.resolve("data/sluice-" + runKey + "/day=d1/" + age + ".parquet");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "staged");
    if (age.equals("old")) {
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(2, ChronoUnit.DAYS)));
    }
    return file;
  }

  @Test
  void givenAnAppendLandingDuringARewrite_whenItCommits_thenTheAppendedRowsStayAndNothingIsLost() {
    Table maintenance = TestTables.create(dir.resolve("t"));
    for (long i = 0; i < 3; i++) {
      append(maintenance, List.of(row(maintenance, "id", i, "day", "d1")), Map.of());
    }
    // The pipeline commits through its own handle after the compaction read the table.
    Table pipeline = new org.apache.iceberg.hadoop.HadoopTables(new org.apache.hadoop.conf.Configuration())
        .load(dir.resolve("t").toUri().toString());
    append(pipeline, List.of(row(pipeline, "id", 9L, "day", "d1")), commit("b", "w2", "9"));

    FileCompaction.Result result = FileCompaction.rewrite(maintenance, 128L << 20);

    assertThat(result.snapshotId()).isNotNull();
    assertThat(rows(maintenance)).hasSize(4).anyMatch(r -> r.startsWith("Record(9,"));
    assertThat(TestTables.dataFiles(maintenance)).isEqualTo(2); // the rewrite's and the append's
    assertThat(maintenance.currentSnapshot().parentId()).isEqualTo(pipeline.currentSnapshot().snapshotId());
  }

  @Test
  void givenAnOverwriteOfCompactedFilesLandingDuringARewrite_whenItCommits_thenItFailsChangingNothing()
      throws Exception {
    Table maintenance = TestTables.create(dir.resolve("t"));
    for (long i = 0; i < 3; i++) {
      append(maintenance, List.of(row(maintenance, "id", i, "day", "d1")), commit("r" + i, "w" + i, "" + i));
    }
    Table pipeline = new org.apache.iceberg.hadoop.HadoopTables(new org.apache.hadoop.conf.Configuration())
        .load(dir.resolve("t").toUri().toString());
    // An overwrite-window re-run replaces the files window w0 added: one of those compaction reads.
    DataFile w0 = StreamSupport.stream(pipeline.snapshots().spliterator(), false)
        .filter(sn -> "w0".equals(sn.summary().get(SinkSummaries.WINDOW_KEY)))
        .findFirst().orElseThrow().addedDataFiles(pipeline.io()).iterator().next();
    pipeline.newOverwrite().deleteFile(w0)
        .addFile(TestTables.write(pipeline, List.of(row(pipeline, "id", 100L, "day", "d1"))))
        .commit();
    List<String> after = rows(pipeline);
    long dataFilesBefore;
    try (var listed = Files.walk(dir.resolve("t/data"))) {
      dataFilesBefore = listed.filter(Files::isRegularFile).count();
    }

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> FileCompaction.rewrite(maintenance, 128L << 20))
        .isInstanceOf(org.apache.iceberg.exceptions.ValidationException.class);

    assertThat(rows(maintenance)).isEqualTo(after).noneMatch(r -> r.startsWith("Record(0,"));
    assertThat(maintenance.currentSnapshot().snapshotId()).isEqualTo(pipeline.currentSnapshot().snapshotId());
    try (var listed = Files.walk(dir.resolve("t/data"))) {
      // The files the failed rewrite wrote are deleted with it.
      assertThat(listed.filter(Files::isRegularFile).count()).isEqualTo(dataFilesBefore);
    }
  }

  @Test
  void givenSpellingsOfOneFile_whenNormalized_thenTheyAreEqual() {
    assertThat(OrphanFiles.normalize("file:/w/t/a.parquet"))
        .isEqualTo(OrphanFiles.normalize("file:///w/t/a.parquet"))
        .isEqualTo(OrphanFiles.normalize("/w/t//a.parquet"));
    assertThat(OrphanFiles.normalize("s3a://b/t/a.parquet"))
        .isEqualTo(OrphanFiles.normalize("s3://b/t/a.parquet"));
  }
}
