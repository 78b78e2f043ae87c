package dev.sluice.activities.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.activities.iceberg.maintenance.OrphanFiles;
import dev.sluice.activities.iceberg.maintenance.SnapshotExpiry;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deferral with an iceberg sink, activity by activity (stage, applyDeferral, publish) on a Hadoop
 * catalog on file://, the table partitioned by day and read back with Iceberg's generic reader: the
 * deferred set is committed with the run's snapshot, so every crash or retry leaves each row once.
 */
class IcebergDeferralTest {
  private static final List<String> COLUMNS = List.of("id", "ts", "email");
  private static final List<ColumnSpec> TYPES =
      List.of(
          new ColumnSpec("id", "long", null),
          new ColumnSpec("ts", "timestamp", null),
          new ColumnSpec("email", "string", null));
  private static final DeferralSpec EMAIL_BY_ID =
      new DeferralSpec(List.of("email"), List.of("id"), Duration.ofDays(7), null);

  /** A rule that no longer requires the email: it releases every deferred row. */
  private static final DeferralSpec ID_ONLY =
      new DeferralSpec(List.of("id"), List.of("id"), Duration.ofDays(7), null);

  private static final long T0 = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
  private static final long DAY = Duration.ofDays(1).toMillis();

  @TempDir Path dir;
  private final IcebergRuns runs = new IcebergRuns();

  @Test
  void givenARowDeferredInRunOne_whenRunTwoReleasesIt_thenItLandsOnceInItsPartition()
      throws Exception {
    IcebergSink sink = sink();
    DeferralResult first =
        run(sink, "2026-11-01", "r1", EMAIL_BY_ID, T0, row(1, "2026-11-01T01:00:00Z", "a@x"),
            row(2, "2026-10-30T02:00:00Z", null));

    assertThat(first.deferred()).isEqualTo(1);
    assertThat(ids(sink)).containsExactly("1");
    Table table = runs.table(sink);
    String set = SnapshotLog.deferredSet(table, null).orElseThrow();
    assertThat(set).startsWith(sink.path() + "/_sluice/deferred/");
    assertThat(table.currentSnapshot().summary())
        .containsEntry(SnapshotLog.Key.DEFERRED_ROWS.key(), "1");

    DeferralResult second =
        run(sink, "2026-11-02", "r2", ID_ONLY, T0 + DAY, row(3, "2026-11-02T03:00:00Z", null));

    assertThat(second.released()).isEqualTo(1);
    assertThat(ids(sink)).containsExactly("1", "2", "3");
    assertThat(runs.table(sink).currentSnapshot().summary())
        .containsEntry(SnapshotLog.Key.DEFERRED_ROWS.key(), "0");
    assertThat(days(sink))
        .as("the released row is in the partition of its own day")
        .containsExactly("1:2026-11-01", "2:2026-10-30", "3:2026-11-02");
  }

  @Test
  void givenAReleasingPublishWhoseAnswerWasLost_whenRetried_thenOneCopyAndOneSnapshot()
      throws Exception {
    IcebergSink sink = sink();
    run(sink, "2026-11-01", "r1", EMAIL_BY_ID, T0, row(2, "2026-11-01T02:00:00Z", null));
    IcebergRuns.Staged staged = stage(sink, "2026-11-02", "r2", row(3, "2026-11-02T03:00:00Z", "c@x"));
    PublishRequest publish = publishOf(staged, split(staged, ID_ONLY, T0 + DAY), ID_ONLY);

    PublishResult answer = runs.activities.publish(publish);
    PublishResult retried = runs.activities.publish(publish); // the answer was lost

    assertThat(retried).isEqualTo(answer);
    assertThat(ids(sink)).containsExactly("2", "3");
    assertThat(commits(runs.table(sink))).isEqualTo(2);
  }

  @Test
  void givenACrashAfterTheSplitBeforeTheCommit_whenTheWindowRunsAgain_thenTheOldSetWasInForce()
      throws Exception {
    IcebergSink sink = sink();
    run(sink, "2026-11-01", "r1", EMAIL_BY_ID, T0, row(2, "2026-11-01T02:00:00Z", null));
    String before = SnapshotLog.deferredSet(runs.table(sink), null).orElseThrow();
    IcebergRuns.Staged crashed =
        stage(sink, "2026-11-02", "r2", row(3, "2026-11-02T03:00:00Z", null));
    // It wrote its deferred set (rows 2 and 3), then the worker died for good.
    assertThat(split(crashed, EMAIL_BY_ID, T0 + DAY).deferred()).isEqualTo(2);

    assertThat(SnapshotLog.deferredSet(runs.table(sink), null)).contains(before);
    assertThat(ids(sink)).as("nothing committed").containsExactly();

    // The next run of the window takes the lease over and starts again.
    runs.activities.releaseWindow(
        new ReleaseWindowRequest(
            sink, crashed.publish().runKey(), crashed.publish().commit().holder()));
    run(sink, "2026-11-02", "r2b", ID_ONLY, T0 + 2 * DAY, row(3, "2026-11-02T03:00:00Z", null));

    assertThat(ids(sink)).containsExactly("2", "3");
    // The crashed run's set is named by no snapshot: garbage for the sweep; the set in force stays.
    Table table = runs.table(sink);
    String inForce = SnapshotLog.deferredSet(table, null).orElseThrow();
    List<String> orphans =
        OrphanFiles.plan(table, Instant.now().plusSeconds(60)).orphans().stream()
            .map(OrphanFiles.Orphan::location)
            .toList();
    assertThat(orphans)
        .anyMatch(l -> l.contains("/_sluice/deferred/") && !l.contains(path(inForce)));
    assertThat(orphans).noneMatch(l -> l.contains(path(inForce)) || l.contains(path(before)));
  }

  @Test
  void givenTwoRunsSplitFromOneSet_whenBothPublish_thenTheSecondIsRefusedAndCommitsNothing() {
    IcebergSink sink = sink();
    run(sink, "2026-11-01", "r1", EMAIL_BY_ID, T0, row(2, "2026-11-01T02:00:00Z", null));
    IcebergRuns.Staged a = stage(sink, "2026-11-02", "ra", row(3, "2026-11-02T03:00:00Z", "c@x"));
    DeferralResult aSplit = split(a, ID_ONLY, T0 + DAY);
    // A run of another window splits from the same set (it staged no rows) before a commits.
    String bKey = RunKeys.of("ingest/p/2026-10-31");
    DeferralResult bSplit =
        runs.activities.applyDeferral(
            new DeferralRequest(
                bKey, sink, RunKeys.staging(sink, bKey), List.of(), ID_ONLY, T0 + DAY + 1),
            n -> {});
    runs.activities.publish(publishOf(a, aSplit, ID_ONLY));
    PublishRequest second = publishOf(stage(sink, "2026-10-31", "rb"), bSplit, ID_ONLY);

    assertThatThrownBy(() -> runs.activities.publish(second))
        .isInstanceOf(ApplicationFailure.class)
        .hasMessageContaining("changed since this run split its rows")
        .satisfies(
            e -> {
              assertThat(((ApplicationFailure) e).getType())
                  .isEqualTo(FailureType.WINDOW_BUSY.type());
              assertThat(((ApplicationFailure) e).isNonRetryable()).isTrue();
            });
    assertThat(bSplit.released()).as("b would have released row 2 again").isEqualTo(1);
    assertThat(ids(sink)).as("row 2 released once, by a").containsExactly("2", "3");
  }

  @Test
  void givenAWindowThatReleasedRows_whenItIsRunAgain_thenTheReleasedRowsStayOnce()
      throws Exception {
    IcebergSink sink = sink();
    run(sink, "2026-11-01", "r1", EMAIL_BY_ID, T0, row(2, "2026-11-01T02:00:00Z", null));
    run(sink, "2026-11-02", "r2", ID_ONLY, T0 + DAY, row(3, "2026-11-02T03:00:00Z", null));

    // The window again (overwrite-window): its own rows replaced, row 2 was never its own.
    DeferralResult again =
        run(sink, "2026-11-02", "r2b", ID_ONLY, T0 + 2 * DAY, row(3, "2026-11-02T03:00:00Z", null));

    assertThat(again.released()).isZero();
    assertThat(ids(sink)).containsExactly("2", "3");
  }

  @Test
  void givenARowDeferredPastRetention_whenTheNextRunPasses_thenItIsInTheExpiredSetOnly()
      throws Exception {
    IcebergSink sink = sink();
    run(sink, "2026-11-01", "r1", EMAIL_BY_ID, T0, row(2, "2026-11-01T02:00:00Z", null));

    DeferralResult later =
        run(sink, "2026-11-10", "r2", EMAIL_BY_ID, T0 + 8 * DAY, row(3, "2026-11-10T03:00:00Z", "c@x"));

    assertThat(later.expired()).isEqualTo(1);
    assertThat(ids(sink)).containsExactly("3");
    assertThat(runs.table(sink).currentSnapshot().summary())
        .containsEntry(SnapshotLog.Key.DEFERRED_ROWS.key(), "0");
    Path expired = Path.of(URI.create(sink.path() + "/_sluice/deferred/_expired"));
    assertThat(query(expired + "/*.parquet")).containsExactly("2");
  }

  @Test
  void givenTheSetsCommitReplacedLater_whenSnapshotsExpire_thenTheCommitNamingTheSetIsKept() {
    IcebergSink sink = sink();
    run(sink, "2026-11-01", "r1", EMAIL_BY_ID, T0, row(2, "2026-11-01T02:00:00Z", null));
    long deferredCommit = runs.table(sink).currentSnapshot().snapshotId();
    // The window again without the rule: its files replaced, the watermark newer.
    runs.run(sink, "2026-11-01", "r1b", COLUMNS, List.<Object[]>of(row(5, "2026-11-01T05:00:00Z", "e@x")));

    Table table = runs.table(sink);
    SnapshotExpiry.Result plan = SnapshotExpiry.plan(table, Instant.now().plusSeconds(60), 1);

    assertThat(plan.kept())
        .anySatisfy(
            k -> {
              assertThat(k.snapshotId()).isEqualTo(deferredCommit);
              assertThat(k.reason()).isEqualTo(SnapshotExpiry.Reason.DEFERRED);
            });
    assertThat(OrphanFiles.plan(table, Instant.now().plusSeconds(60)).orphans())
        .noneMatch(o -> o.location().contains("/_sluice/deferred/"));
  }

  private IcebergSink sink() {
    return new IcebergSink(
        new IcebergCatalogSpec.Hadoop(dir.resolve("wh").toUri().toString()),
        "lake.contacts",
        "overwrite-window",
        List.of("day(ts)"),
        null,
        null,
        TYPES,
        null,
        null);
  }

  private static Object[] row(long id, String ts, String email) {
    return new Object[] {Long.toString(id), ts, email};
  }

  private IcebergRuns.Staged stage(IcebergSink sink, String window, String runId, Object[]... rows) {
    return runs.stage(sink, window, runId, COLUMNS, java.util.Arrays.asList(rows), null, null);
  }

  private DeferralResult split(IcebergRuns.Staged staged, DeferralSpec rule, long now) {
    PublishRequest p = staged.publish();
    return runs.activities.applyDeferral(
        new DeferralRequest(p.runKey(), p.sink(), p.stagingUri(), p.files(), rule, now), n -> {});
  }

  private static PublishRequest publishOf(
      IcebergRuns.Staged staged, DeferralResult split, DeferralSpec rule) {
    PublishRequest p = staged.publish();
    return new PublishRequest(
        p.runKey(),
        p.sink(),
        split.stagingUri(),
        split.files(),
        p.watermarkColumn(),
        p.newWatermark(),
        rule,
        p.commit(),
        split.rows());
  }

  /** Stage, split and publish one run of {@code window}. */
  private DeferralResult run(
      IcebergSink sink, String window, String runId, DeferralSpec rule, long now, Object[]... rows) {
    IcebergRuns.Staged staged = stage(sink, window, runId, rows);
    DeferralResult split = split(staged, rule, now);
    runs.activities.publish(publishOf(staged, split, rule));
    return split;
  }

  private List<String> ids(IcebergSink sink) {
    if (runs.catalogs.load(sink).map(Table::currentSnapshot).isEmpty()) {
      return List.of();
    }
    return runs.column(sink, "id").stream().sorted().toList();
  }

  /** Every row's id and the day its file's partition names, each row's own day checked. */
  private List<String> days(IcebergSink sink) throws IOException {
    Table table = runs.table(sink);
    List<String> out = new ArrayList<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        String day =
            LocalDate.ofEpochDay(task.file().partition().get(0, Integer.class)).toString();
        try (CloseableIterable<Record> rows =
            Parquet.read(table.io().newInputFile(task.file().location()))
                .project(table.schema())
                .createReaderFunc(s -> GenericParquetReaders.buildReader(table.schema(), s))
                .build()) {
          for (Record r : rows) {
            assertThat(r.getField("ts").toString()).as(task.file().location()).startsWith(day);
            out.add(r.getField("id") + ":" + day);
          }
        }
      }
    }
    return out.stream().sorted().toList();
  }

  private static long commits(Table table) {
    return StreamSupport.stream(table.snapshots().spliterator(), false)
        .map(Snapshot::summary)
        .filter(s -> s.containsKey(SnapshotLog.Key.COMMIT.key()))
        .count();
  }

  private static String path(String location) {
    return URI.create(location).getPath();
  }

  private static List<String> query(String glob) throws SQLException {
    if (!Files.isDirectory(Path.of(glob).getParent())) {
      return List.of();
    }
    String sql = "SELECT id FROM read_parquet('" + glob + "') ORDER BY ALL";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<String> ids = new ArrayList<>();
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
      return ids;
    }
  }
}
