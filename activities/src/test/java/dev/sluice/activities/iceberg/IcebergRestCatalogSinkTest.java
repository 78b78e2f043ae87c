package dev.sluice.activities.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.sandbox.iceberg.IcebergRestCatalog;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.StreamSupport;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The iceberg sink against a REST catalog server (the sandbox's, alone, over loopback): commits,
 * retried commits, conflicts and credentials go through Iceberg's {@code RESTCatalog} and the REST
 * protocol. One catalog server for the class; each test its own table.
 */
class IcebergRestCatalogSinkTest {
  private static final List<String> COLUMNS = List.of("id", "ts");
  private static final List<ColumnSpec> TYPES =
      List.of(new ColumnSpec("id", "long", null), new ColumnSpec("ts", "timestamp", null));

  @TempDir static Path warehouse;
  private static IcebergRestCatalog server;

  private final IcebergRuns runs = new IcebergRuns();

  @BeforeAll
  static void start() {
    server = IcebergRestCatalog.serve(warehouse);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static IcebergSink sink(String table, String credential, String token) {
    return new IcebergSink(
        new IcebergCatalogSpec.Rest(server.uri(), server.warehouse(), credential, token),
        table, "append", List.of(), null, null, TYPES, null, null);
  }

  private static IcebergSink sink(String table) {
    return sink(table, null, IcebergRestCatalog.TOKEN);
  }

  private static List<Object[]> rows(long id, String ts) {
    return List.<Object[]>of(new Object[] {Long.toString(id), ts});
  }

  private static long snapshots(Table table) {
    table.refresh();
    return StreamSupport.stream(table.snapshots().spliterator(), false).count();
  }

  @Test
  void givenOAuthCredentials_whenTwoRunsCommit_thenRowsSummariesAndTheWatermarkReadBack() {
    IcebergSink sink =
        sink("rest.orders", IcebergRestCatalog.CLIENT_ID + ":" + IcebergRestCatalog.CLIENT_SECRET,
            null);
    int grants = server.tokenGrants();

    runs.run(sink, "2026-11-01", "r1", COLUMNS, rows(1, "2026-11-01T05:00:00Z"));
    runs.run(sink, "2026-11-02", "r2", COLUMNS, rows(2, "2026-11-02T07:00:00Z"));

    assertThat(runs.catalogs.catalog(sink.catalog())).isInstanceOf(RESTCatalog.class);
    assertThat(server.tokenGrants()).isGreaterThan(grants);
    assertThat(runs.column(sink, "id")).containsExactlyInAnyOrder("1", "2");
    assertThat(runs.activities.readWatermark(new WatermarkRequest(sink)).watermark())
        .isEqualTo("2026-11-02T07:00:00Z");
    Table table = runs.table(sink);
    assertThat(table.location()).isEqualTo(sink.path());
    assertThat(table.currentSnapshot().summary())
        .containsEntry(SnapshotLog.Key.WINDOW.key(), "2026-11-02")
        .containsEntry(SnapshotLog.Key.RUN_ID.key(), "r2");
  }

  @Test
  void givenTheAnswerToACommitIsLost_whenThePublishIsRetried_thenItFindsItsRunKeyAndAddsNothing() {
    IcebergSink sink = sink("rest.lost");
    runs.run(sink, "2026-11-01", "r1", COLUMNS, rows(1, "2026-11-01T05:00:00Z"));
    IcebergRuns.Staged staged =
        runs.stage(sink, "2026-11-02", "r2", COLUMNS, rows(2, "2026-11-02T05:00:00Z"), null,
            "2026-11-02T05:00:00Z");
    int applied = server.commits();
    server.loseNextCommitAnswers(1);

    // The server applied the commit; the client saw the connection close instead of an answer.
    assertThatThrownBy(() -> runs.activities.publish(staged.publish()))
        .isInstanceOf(RuntimeException.class);
    assertThat(server.commits()).isEqualTo(applied + 1);
    PublishResult retried = runs.activities.publish(staged.publish());

    assertThat(server.commits()).isEqualTo(applied + 1);
    assertThat(runs.column(sink, "id")).containsExactlyInAnyOrder("1", "2");
    assertThat(snapshots(runs.table(sink))).isEqualTo(2);
    assertThat(retried.files()).hasSize(1);
  }

  @Test
  void givenAnotherWriterCommitsFirst_whenTheRunCommits_thenIcebergRetriesOnTheNewBaseAndBothLand() {
    IcebergSink sink = sink("rest.concurrent");
    runs.run(sink, "2026-11-01", "r1", COLUMNS, rows(1, "2026-11-01T05:00:00Z"));
    IcebergRuns.Staged mine =
        runs.stage(sink, "2026-11-03", "r3", COLUMNS, rows(3, "2026-11-03T05:00:00Z"), null, null);
    // Another engine with its own REST client appends a row between this run's refresh and its
    // commit: the run's commit then fails its requirement (409) and Iceberg retries it.
    Table elsewhere = new IcebergRuns().table(sink);
    server.beforeNextCommit(() -> appendRow(elsewhere, 2));
    int applied = server.commits();

    runs.activities.publish(mine.publish());

    assertThat(server.commits()).isEqualTo(applied + 2);
    assertThat(runs.column(sink, "id")).containsExactlyInAnyOrder("1", "2", "3");
    Table table = runs.table(sink);
    assertThat(snapshots(table)).isEqualTo(3);
    assertThat(table.currentSnapshot().summary()).containsEntry(SnapshotLog.Key.RUN_ID.key(), "r3");
  }

  /** One row appended by Iceberg's generic writer, in a commit of its own. */
  private static void appendRow(Table table, long id) {
    table.refresh();
    Record row = GenericRecord.create(table.schema());
    row.setField("id", id);
    row.setField("ts", OffsetDateTime.parse("2026-11-02T05:00:00Z"));
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 1, id).format(FileFormat.PARQUET).build();
    DataWriter<Record> writer =
        new GenericFileWriterFactory.Builder(table)
            .dataSchema(table.schema())
            .build()
            .newDataWriter(files.newOutputFile(), table.spec(), null);
    try (writer) {
      writer.write(row);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    table.newAppend().appendFile(writer.toDataFile()).commit();
  }

  @Test
  void givenConflictsPastIcebergsRetries_whenPublished_thenRefusedUnappliedAndTheNextTryCommits() {
    IcebergSink sink = sink("rest.refused");
    runs.run(sink, "2026-11-01", "r1", COLUMNS, rows(1, "2026-11-01T05:00:00Z"));
    runs.table(sink).updateProperties().set(TableProperties.COMMIT_NUM_RETRIES, "1").commit();
    IcebergRuns.Staged staged =
        runs.stage(sink, "2026-11-02", "r2", COLUMNS, rows(2, "2026-11-02T05:00:00Z"), null, null);
    server.conflictOnNextCommits(2);

    assertThatThrownBy(() -> runs.activities.publish(staged.publish()))
        .isInstanceOf(CommitFailedException.class)
        .hasMessageContaining("another writer committed first");
    assertThat(runs.column(sink, "id")).containsExactly("1");

    runs.activities.publish(staged.publish()); // the activity's retry

    assertThat(runs.column(sink, "id")).containsExactlyInAnyOrder("1", "2");
    Snapshot current = runs.table(sink).currentSnapshot();
    assertThat(current.summary()).containsEntry(SnapshotLog.Key.RUN_ID.key(), "r2");
  }

  @Test
  void givenAWrongToken_whenTheSinkOpensTheCatalog_thenOneNonRetryableErrorNamesTheCatalogUri() {
    IcebergSink sink = sink("rest.denied", null, "not-the-token");

    assertThatThrownBy(() -> runs.activities.readWatermark(new WatermarkRequest(sink)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.isNonRetryable()).isTrue();
              assertThat(failure.getType()).isEqualTo(FailureType.AUTH_FAILED.type());
            })
        .hasMessageContaining(server.uri())
        .hasMessageContaining("401");
  }
}
