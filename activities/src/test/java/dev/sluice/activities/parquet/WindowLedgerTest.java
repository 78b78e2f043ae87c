package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.OpenWindowResult;
import dev.sluice.workflows.activities.WindowMessages.ReleaseWindowRequest;
import dev.sluice.workflows.activities.WindowMessages.WindowCommit;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window leases, recorded ranges and the commit marker beside a table, on the local file system;
 * and the staging writer dropping rows outside a window's range.
 */
class WindowLedgerTest {
  private static final String W1 = "ingest_t_2026-11-01T00-00-00Z";
  private static final String W2 = "ingest_t_2026-11-02T00-00-00Z";
  private static final Holder A = new Holder("ingest/t/2026-11-02T00:00:00Z", "run-a");
  private static final Holder B = new Holder("ingest/t-2026-11-02T00:00:00Z", "run-b");

  @TempDir Path dir;
  private final Set<String> running = new HashSet<>();
  private final HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
  private ParquetSinkActivitiesImpl activities;
  private ParquetSink table;

  @BeforeEach
  void setUp() {
    activities = new ParquetSinkActivitiesImpl(files, Clock.systemUTC(), running::contains);
    table =
        new ParquetSink(dir.resolve("table").toUri().toString(), "append", null, null, List.of(), null);
  }

  private OpenWindowResult open(String key, Holder holder) {
    return activities.openWindow(new OpenWindowRequest(table, key, key, holder, "modified"));
  }

  private OpenWindowResult openAt(String key, String window, Holder holder) {
    return activities.openWindow(new OpenWindowRequest(table, key, window, holder, "modified"));
  }

  @Test
  void givenPositions_whenCompared_thenLeadingNumbersCompareAsNumbersThenTheRestAsText() {
    assertThat(WindowLedger.comparePositions("999", "1000")).isNegative();
    assertThat(WindowLedger.comparePositions("1709249400000", "1709251200000/5eed01"))
        .isNegative();
    assertThat(WindowLedger.comparePositions("1709251200000", "1709251200000/5eed01"))
        .as("a window start sorts before a batch created at that instant")
        .isNegative();
    assertThat(WindowLedger.comparePositions("1709251200000/b", "1709251200000/a")).isPositive();
    assertThat(WindowLedger.comparePositions("2026-01-02T00:00:00Z", "2026-01-10T00:00:00Z"))
        .isNegative();
  }

  @Test
  void givenANewWindow_whenOpened_thenItHoldsTheWindowAndTheHeadAndHasNoRange() {
    OpenWindowResult opened = open(W2, A);

    assertThat(opened.committed()).isNull();
    assertThat(opened.headHeld()).isTrue();
    assertThat(opened.busyWith()).isNull();
    assertThat(open(W2, A).headHeld()).as("idempotent for the same holder").isTrue();
  }

  @Test
  void givenARunningHolder_whenAnotherRunOpensTheSameWindow_thenItIsRefusedNamingTheHolder() {
    open(W2, A);
    running.add(A.workflowId());

    assertThatThrownBy(() -> open(W2, B))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureType.WINDOW_BUSY.type()))
        .hasMessageContaining("already being run by workflow " + A.workflowId())
        .hasMessageContaining("sluice cancel " + A.workflowId());
  }

  @Test
  void givenAHolderThatNoLongerRuns_whenAnotherRunOpensTheWindow_thenTheLeaseIsTakenOver() {
    open(W2, A); // A was terminated without releasing

    assertThat(open(W2, B).headHeld()).isTrue();
    running.add(B.workflowId());
    assertThatThrownBy(() -> open(W2, A)).hasMessageContaining(B.workflowId());
  }

  @Test
  void givenAnotherNewWindowHoldsTheHead_whenOpened_thenItIsBusyAndHoldsNothing() {
    open(W1, A);
    running.add(A.workflowId());

    OpenWindowResult second = open(W2, B);

    assertThat(second.busyWith()).contains(A.workflowId());
    assertThat(second.headHeld()).isFalse();
    assertThat(Files.exists(lease("window-" + W2))).as("its window lease is given back").isFalse();
  }

  @Test
  void givenAnOlderNewWindowWaitsForTheHead_whenAYoungerOneAsks_thenTheOlderGoesFirst() {
    Holder c = new Holder("ingest/t/2026-11-03T00:00:00Z", "run-c");
    String w3 = "ingest_t_2026-11-03T00-00-00Z";
    open(W1, A); // holds the head
    running.add(A.workflowId());
    running.add(B.workflowId());
    running.add(c.workflowId());
    assertThat(openAt(W2, "2026-11-02T00:00:00Z", B).busyWith()).contains(A.workflowId());
    activities.releaseWindow(new ReleaseWindowRequest(table, W1, A)); // A published

    OpenWindowResult younger = openAt(w3, "2026-11-03T00:00:00Z", c);
    OpenWindowResult older = openAt(W2, "2026-11-02T00:00:00Z", B);

    assertThat(younger.busyWith()).as("the older waiting window goes first").contains(B.workflowId());
    assertThat(older.headHeld()).isTrue();
    activities.releaseWindow(new ReleaseWindowRequest(table, W2, B));
    assertThat(openAt(w3, "2026-11-03T00:00:00Z", c).headHeld()).isTrue();
  }

  @Test
  void givenAnOlderWaitingWindowWhoseRunEnded_whenAYoungerOneAsks_thenItIsNotHeldUp() {
    open(W1, A);
    running.add(A.workflowId());
    assertThat(openAt(W2, "2026-11-02T00:00:00Z", B).busyWith()).isNotNull();
    activities.releaseWindow(new ReleaseWindowRequest(table, W1, A));
    // B was terminated while waiting: nothing released its place in the queue.
    Holder c = new Holder("ingest/t/2026-11-03T00:00:00Z", "run-c");

    assertThat(openAt("ingest_t_2026-11-03T00-00-00Z", "2026-11-03T00:00:00Z", c).headHeld())
        .isTrue();
  }

  @Test
  void givenACommit_whenPublished_thenTheRangeIsRecordedTheLeasesReleasedAndAReRunSeesIt()
      throws IOException {
    open(W2, A);
    stage(W2, 0);

    activities.publish(publish(W2, A, "run-1", "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z", 7));

    assertThat(Files.exists(lease("head"))).isFalse();
    assertThat(Files.exists(lease("window-" + W2))).isFalse();
    assertThat(activities.readWatermark(new WatermarkRequest(table)).watermark())
        .isEqualTo("2026-11-02T00:00:00Z");
    OpenWindowResult again = open(W2, B);
    assertThat(again.committed().from()).isEqualTo("2026-11-01T00:00:00Z");
    assertThat(again.committed().to()).isEqualTo("2026-11-02T00:00:00Z");
    assertThat(again.committed().rows()).isEqualTo(7);
    assertThat(again.committed().files()).isEqualTo(1);
    assertThat(again.committed().runId()).isEqualTo("run-1");
    assertThat(again.headHeld()).as("a re-run does not take the head").isFalse();
  }

  @Test
  void givenAPublishWhoseAnswerWasLost_whenRetriedAfterAnotherRunTookTheWindow_thenItChangesNothing()
      throws IOException {
    open(W2, A);
    stage(W2, 0);
    PublishRequest first = publish(W2, A, "run-1", "a", "b", 7);
    activities.publish(first);
    // Another run of the window commits after A's publish completed but its answer was lost.
    open(W2, B);
    stage(W2, 0);
    Files.writeString(stagedPath(W2, 1), "b");
    activities.publish(
        new PublishRequest(
            W2,
            table,
            RunKeys.staging(table, W2),
            List.of(PartFiles.name(W2, 0), PartFiles.name(W2, 1)),
            "modified",
            null,
            null,
            new WindowCommit(W2, W2, B, "run-2", "modified", "a", "b"),
            9));

    assertThatThrownBy(() -> activities.publish(first))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureType.WINDOW_BUSY.type()));
    assertThat(files.readString(table.path() + "/" + PartFiles.name(W2, 1))).isPresent();
    assertThat(open(W2, A).committed().runId()).isEqualTo("run-2");
  }

  @Test
  void givenThePublishRecordedItsCommit_whenRetried_thenOnlyTheCleanUpIsFinished()
      throws IOException {
    open(W2, A);
    stage(W2, 0);
    PublishRequest request = publish(W2, A, "run-1", "a", "b", 7);
    activities.publish(request);

    var again = activities.publish(request);

    assertThat(again.files()).containsExactly(table.path() + "/" + PartFiles.name(W2, 0));
    assertThat(again.bytes()).isEqualTo(4);
  }

  @Test
  void givenAReRunsPublishCrashedMidway_whenRetried_thenTheWindowHoldsExactlyTheReRunsFiles()
      throws IOException {
    // The first run committed two files.
    open(W2, A);
    stage(W2, 0);
    Files.writeString(stagedPath(W2, 1), "old1");
    activities.publish(
        new PublishRequest(
            W2,
            table,
            RunKeys.staging(table, W2),
            List.of(PartFiles.name(W2, 0), PartFiles.name(W2, 1)),
            "modified",
            "b",
            null,
            new WindowCommit(W2, W2, A, "run-1", "modified", "a", "b"),
            9));
    // The re-run staged one file; its worker died after moving it in, before anything else.
    open(W2, B);
    Files.createDirectories(stagedPath(W2, 0).getParent());
    Files.writeString(stagedPath(W2, 0), "new0");
    Path target = dir.resolve("table").resolve(PartFiles.name(W2, 0));
    Files.move(stagedPath(W2, 0), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    PublishRequest rerun =
        new PublishRequest(
            W2,
            table,
            RunKeys.staging(table, W2),
            List.of(PartFiles.name(W2, 0)),
            "modified",
            null,
            null,
            new WindowCommit(W2, W2, B, "run-2", "modified", "a", "b"),
            4);

    activities.publish(rerun);

    try (var listed = Files.list(dir.resolve("table"))) {
      assertThat(listed.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet")))
          .containsExactly(PartFiles.name(W2, 0));
    }
    assertThat(Files.readString(target)).isEqualTo("new0");
    WindowRange recorded = open(W2, A).committed();
    assertThat(recorded.runId()).isEqualTo("run-2");
    assertThat(recorded.rows()).isEqualTo(4);
    assertThat(recorded.files()).isEqualTo(1);
    assertThat(recorded.to()).isEqualTo("b");
    assertThat(activities.readWatermark(new WatermarkRequest(table)).watermark())
        .as("a re-run leaves the watermark")
        .isEqualTo("b");
  }

  @Test
  void givenFilesOfTheWindowWithoutARecordedRange_whenOpened_thenTheReRunIsRefusedAndNothingHeld()
      throws IOException {
    Files.createDirectories(dir.resolve("table"));
    Files.writeString(dir.resolve("table").resolve(PartFiles.name(W1, 0)), "old");

    assertThatThrownBy(() -> open(W1, A))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> assertThat(f.getType()).isEqualTo(FailureType.WINDOW_WITHOUT_RANGE.type()))
        .hasMessageContaining("window " + W1)
        .hasMessageContaining("sluice state reset FILE --to VALUE");
    assertThat(Files.exists(lease("window-" + W1))).isFalse();
    assertThat(open(W2, A).headHeld()).as("new windows keep working").isTrue();
  }

  @Test
  void givenAHolder_whenReleased_thenOnlyItsOwnLeasesGo() {
    open(W2, A);

    assertThat(activities.releaseWindow(new ReleaseWindowRequest(table, W2, B)).released()).isZero();
    assertThat(activities.releaseWindow(new ReleaseWindowRequest(table, W2, A)).released())
        .isEqualTo(2);
  }

  @Test
  void givenARange_whenStaging_thenRowsOutsideItAreDroppedAndCountedAndTheMaxIsOfKeptRows()
      throws IOException {
    ParquetSink sink =
        new ParquetSink(
            dir.resolve("t2").toUri().toString(),
            "append",
            null,
            null,
            List.of(new ColumnSpec("modified", "timestamp", null)),
            null);
    WriterState state;
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(
            files,
            sink,
            dir.resolve("staging").toUri().toString(),
            W2,
            "modified",
            new WatermarkRange("2026-11-01T00:00:00.000Z", "2026-11-02T00:00:00.000Z"),
            null,
            StagingLayout.PLAIN)) {
      writer.columns(List.of("id", "modified"));
      writer.record(new Object[] {"1", "2026-11-01T00:00:00.000Z"}); // at from: earlier window
      writer.record(new Object[] {"2", "2026-11-01T12:00:00.000Z"});
      writer.record(new Object[] {"3", "2026-11-02T00:00:00.000Z"}); // at to: kept
      writer.record(new Object[] {"4", "2026-11-02T00:00:01.000Z"}); // later window
      writer.record(new Object[] {"5", null}); // cannot be placed: kept
      state = writer.finish();
    }

    assertThat(state.rows()).isEqualTo(3);
    assertThat(state.dropped()).isEqualTo(2);
    assertThat(state.maxWatermark()).isEqualTo("2026-11-02T00:00:00.000Z");
    List<Map<String, Object>> rows =
        StagedParquet.rows(dir.resolve("staging").resolve(state.files().get(0)));
    assertThat(rows).extracting(r -> r.get("id")).containsExactly(2L, 3L, 5L);
  }

  @Test
  void givenABoundNotOfTheColumnsType_whenStaging_thenTheRunFailsNamingIt() {
    ParquetSink sink =
        new ParquetSink(
            dir.resolve("t3").toUri().toString(),
            "append",
            null,
            null,
            List.of(new ColumnSpec("modified", "timestamp", null)),
            null);
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(
            files,
            sink,
            dir.resolve("staging3").toUri().toString(),
            W2,
            "modified",
            new WatermarkRange("yesterday", null),
            null,
            StagingLayout.PLAIN)) {
      writer.columns(List.of("id", "modified"));
      writer.record(new Object[] {"1", "2026-11-01T00:00:00.000Z"});
      assertThatThrownBy(writer::finish)
          .isInstanceOf(InvalidSinkException.class)
          .hasMessageContaining("'yesterday' is not a value of watermark column modified");
    }
  }

  private PublishRequest publish(
      String key, Holder holder, String runId, String from, String to, long rows) {
    return new PublishRequest(
        key,
        table,
        RunKeys.staging(table, key),
        List.of(PartFiles.name(key, 0)),
        "modified",
        to,
        null,
        new WindowCommit(key, key, holder, runId, "modified", from, to),
        rows);
  }

  private void stage(String key, int seq) throws IOException {
    Path staged = stagedPath(key, seq);
    Files.createDirectories(staged.getParent());
    Files.writeString(staged, "data");
  }

  private Path stagedPath(String key, int seq) {
    return Path.of(java.net.URI.create(RunKeys.staging(table, key))).resolve(PartFiles.name(key, seq));
  }

  private Path lease(String name) {
    return dir.resolve("table").resolve("_sluice").resolve("leases").resolve(name + ".json");
  }
}
