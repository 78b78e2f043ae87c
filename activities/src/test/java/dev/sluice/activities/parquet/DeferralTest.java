package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.RunKeys;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deferral across runs, through the real activity: rows staged by the staging writer, split by
 * {@code applyDeferral}, moved by {@code publish}, and read back with DuckDB.
 */
class DeferralTest {
  private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final List<ColumnSpec> COLUMNS =
      List.of(
          new ColumnSpec("id", "long", null),
          new ColumnSpec("email", "string", null),
          new ColumnSpec("name", "string", null));
  private static final DeferralSpec EMAIL_BY_ID =
      new DeferralSpec(List.of("email"), List.of("id"), Duration.ofDays(7), null);

  @TempDir Path dir;
  private final HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
  private final ParquetSinkActivitiesImpl activities = new ParquetSinkActivitiesImpl(files);
  private final List<Long> heartbeats = new ArrayList<>();

  @Test
  void givenRowDeferredInRun1_whenItArrivesCompleteInRun2_thenItLandsOnceAndLeavesDeferral()
      throws Exception {
    DeferralResult first =
        run(
            "run-1",
            T0,
            EMAIL_BY_ID,
            row("1", "a@example.com", "Ada"),
            row("2", null, "Bob"),
            row("3", "", "Cy"));

    assertThat(first)
        .extracting(DeferralResult::rows, DeferralResult::deferred)
        .containsExactly(1L, 2L);
    assertThat(tableRows()).containsExactly(List.of("1", "a@example.com", "Ada"));
    assertThat(deferredRows())
        .containsExactly(
            List.of("2", "null", "Bob", Long.toString(T0)),
            List.of("3", "", "Cy", Long.toString(T0)));

    DeferralResult second =
        run(
            "run-2",
            T0 + DAY,
            EMAIL_BY_ID,
            row("2", "b@example.com", "Bob"),
            row("4", "d@x", "Di"));

    assertThat(second)
        .extracting(
            DeferralResult::rows,
            DeferralResult::deferred,
            DeferralResult::superseded,
            DeferralResult::released,
            DeferralResult::expired)
        .containsExactly(2L, 1L, 1L, 0L, 0L);
    assertThat(tableRows())
        .containsExactly(
            List.of("1", "a@example.com", "Ada"),
            List.of("2", "b@example.com", "Bob"),
            List.of("4", "d@x", "Di"));
    assertThat(deferredRows()).containsExactly(List.of("3", "", "Cy", Long.toString(T0)));
    assertThat(second.files()).containsExactly(PartFiles.name("run-2", 0));
    assertThat(localPath(RunKeys.staging(sink(), "run-2"))).doesNotExist();
    assertThat(localPath(RunKeys.staging(sink(), "run-1"))).doesNotExist();
  }

  @Test
  void givenRowStillIncomplete_whenLaterRunsPass_thenItStaysDeferredWithItsFirstDeferralTime()
      throws Exception {
    run("run-1", T0, EMAIL_BY_ID, row("1", null, "Ada"), row("2", null, "Bob"));

    // Row 1 arrives again, still without an email; row 2 does not arrive at all.
    DeferralResult second = run("run-2", T0 + 3 * DAY, EMAIL_BY_ID, row("1", "", "Ada L."));

    assertThat(second)
        .extracting(DeferralResult::rows, DeferralResult::deferred, DeferralResult::superseded)
        .containsExactly(0L, 2L, 1L);
    assertThat(second.files()).isEmpty();
    assertThat(deferredRows())
        .containsExactly(
            List.of("1", "", "Ada L.", Long.toString(T0)),
            List.of("2", "null", "Bob", Long.toString(T0)));
    assertThat(tableFiles()).isEmpty();
  }

  @Test
  void givenRowDeferredLongerThanRetention_whenNextRunPasses_thenItMovesToExpiredAndIsCounted()
      throws Exception {
    run("run-1", T0, EMAIL_BY_ID, row("1", "a@x", "Ada"), row("2", null, "Bob"));

    DeferralResult atRetention = run("run-2", T0 + 7 * DAY, EMAIL_BY_ID, row("3", "c@x", "Cy"));
    assertThat(atRetention.expired()).isZero();
    assertThat(atRetention.deferred()).isEqualTo(1);

    DeferralResult past = run("run-3", T0 + 7 * DAY + 1, EMAIL_BY_ID, row("4", "d@x", "Di"));

    assertThat(past)
        .extracting(DeferralResult::expired, DeferralResult::deferred, DeferralResult::rows)
        .containsExactly(1L, 0L, 1L);
    assertThat(query(expiredGlob(), "id, email, name, epoch_ms(_sluice_deferred_at)"))
        .containsExactly(List.of("2", "null", "Bob", Long.toString(T0)));
    assertThat(deferredFiles()).isEmpty();
    assertThat(tableRows())
        .as("the expired row never reaches the table")
        .extracting(r -> r.get(0))
        .containsExactly("1", "3", "4");
    assertThat(expiredFiles()).containsExactly(PartFiles.name("run-3-" + (T0 + 7 * DAY + 1), 0));
  }

  @Test
  void givenNoKey_whenTheSameIdArrivesComplete_thenTheDeferredRowIsOnlyRechecked()
      throws Exception {
    DeferralSpec emailOnly =
        new DeferralSpec(List.of("email"), List.of(), Duration.ofDays(7), null);
    run("run-1", T0, emailOnly, row("2", null, "Bob"));

    DeferralResult second = run("run-2", T0 + DAY, emailOnly, row("2", "b@x", "Bob"));

    assertThat(second)
        .extracting(DeferralResult::rows, DeferralResult::deferred, DeferralResult::superseded)
        .containsExactly(1L, 1L, 0L);
    assertThat(deferredRows()).containsExactly(List.of("2", "null", "Bob", Long.toString(T0)));

    // The rule changes: rows without an email are complete now, and the deferred one is released.
    DeferralSpec nameOnly = new DeferralSpec(List.of("name"), List.of(), Duration.ofDays(7), null);
    DeferralResult third = run("run-3", T0 + 2 * DAY, nameOnly, row("5", null, "Eve"));

    assertThat(third)
        .extracting(DeferralResult::rows, DeferralResult::released, DeferralResult::deferred)
        .containsExactly(2L, 1L, 0L);
    assertThat(tableRows())
        .containsExactly(
            List.of("2", "b@x", "Bob"), List.of("2", "null", "Bob"), List.of("5", "null", "Eve"));
    assertThat(deferredFiles()).isEmpty();
  }

  @Test
  void givenRuleColumnNotInData_whenApplied_thenNonRetryableInvalidPipelineNamingIt() {
    DeferralSpec phone = new DeferralSpec(List.of("phone"), List.of("id"), null, null);
    List<String> staged = stage(sink(), "run-1", row("1", "a@x", "Ada"));

    assertThatThrownBy(() -> applyDeferral("run-1", sink(), staged, phone, T0))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo(FailureType.INVALID_PIPELINE.type());
              assertThat(f.getOriginalMessage())
                  .isEqualTo(
                      "defer.requiredFields: column 'phone' is not in the data"
                          + " (columns: id, email, name)");
            });
  }

  @Test
  void givenReleasedRowWhoseColumnChangedType_whenItFits_thenConvertedElseSchemaMismatch()
      throws Exception {
    ParquetSink zipAsLong = sinkWith(new ColumnSpec("zip", "long", null));
    List<String> staged = stage(zipAsLong, "run-1", row("1", null, "Ada", "7"));
    publish("run-1", zipAsLong, applyDeferral("run-1", zipAsLong, staged, EMAIL_BY_ID, T0));
    DeferralSpec nameOnly = new DeferralSpec(List.of("name"), List.of("id"), null, null);

    ParquetSink zipAsDate = sinkWith(new ColumnSpec("zip", "date", null));
    List<String> dated = stage(zipAsDate, "run-2", row("2", "b@x", "Bob", "2026-01-01"));
    assertThatThrownBy(() -> applyDeferral("run-2", zipAsDate, dated, nameOnly, T0 + DAY))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo(FailureType.SCHEMA_MISMATCH.type());
              assertThat(f.getOriginalMessage())
                  .contains("column 'zip' is long but this run's data has it as date");
            });

    ParquetSink zipAsText = sinkWith(new ColumnSpec("zip", "string", null));
    List<String> texts = stage(zipAsText, "run-2", row("2", "b@x", "Bob", "02134"));
    DeferralResult released = applyDeferral("run-2", zipAsText, texts, nameOnly, T0 + DAY);
    publish("run-2", zipAsText, released);

    assertThat(released.released()).isEqualTo(1);
    assertThat(query(tableGlob(), "id, zip"))
        .containsExactly(List.of("1", "7"), List.of("2", "02134"));
  }

  @Test
  void givenAWindowThatReleasedRows_whenItIsRunAgain_thenTheReleasedRowsStayAndNoneDoubles()
      throws Exception {
    run("w1", T0, EMAIL_BY_ID, row("1", "a@x", "Ada"), row("2", null, "Bob"));
    DeferralSpec nameOnly = new DeferralSpec(List.of("name"), List.of("id"), null, null);
    // The rule changed: window w2 releases Bob, who was never in w2's provider range.
    DeferralResult released = run("w2", T0 + DAY, nameOnly, row("3", null, "Cy"));
    assertThat(released.released()).isEqualTo(1);

    // w2 re-run: its provider range holds Cy again, and Bob is no longer deferred.
    DeferralResult again = run("w2", T0 + 2 * DAY, nameOnly, row("3", null, "Cy"));

    assertThat(again.released()).isZero();
    assertThat(tableRows())
        .containsExactlyInAnyOrder(
            List.of("1", "a@x", "Ada"), List.of("2", "null", "Bob"), List.of("3", "null", "Cy"));
  }

  @Test
  void givenAReleasingPublishThatFailedAfterMovingItsFiles_whenTheWindowIsRunAgain_thenOnce()
      throws Exception {
    run("w1", T0, EMAIL_BY_ID, row("1", "a@x", "Ada"), row("2", null, "Bob"));
    DeferralSpec nameOnly = new DeferralSpec(List.of("name"), List.of("id"), null, null);
    List<String> staged = stage(sink(), "w2", row("3", null, "Cy"));
    DeferralResult failed = applyDeferral("w2", sink(), staged, nameOnly, T0 + DAY);
    // The run failed for good after its data files moved in, before the deferred set was replaced.
    for (String name : failed.files()) {
      Files.move(localPath(failed.stagingUri()).resolve(name), localPath(tableUri()).resolve(name));
    }
    assertThat(tableRows()).hasSize(3);

    DeferralResult again = run("w2", T0 + 2 * DAY, nameOnly, row("3", null, "Cy"));

    assertThat(again.released()).as("Bob is still deferred: released again").isEqualTo(1);
    assertThat(tableRows())
        .as("under the same name, so once")
        .containsExactlyInAnyOrder(
            List.of("1", "a@x", "Ada"), List.of("2", "null", "Bob"), List.of("3", "null", "Cy"));
    assertThat(deferredFiles()).as("Bob left the deferred set").isEmpty();
  }

  @Test
  void givenManyRows_whenApplied_thenOutputRollsIntoFilesAndTheActivityHeartbeats()
      throws Exception {
    ParquetSink small = new ParquetSink(tableUri(), "append", "snappy", "64KB", COLUMNS, 10);
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      rows.add(row(Integer.toString(i), i % 10 == 0 ? null : "user" + i + "@example.com", "n" + i));
    }
    List<String> staged = stage(small, "run-1", rows.toArray(String[][]::new));

    DeferralResult result = applyDeferral("run-1", small, staged, EMAIL_BY_ID, T0);
    publish("run-1", small, result);

    assertThat(result.files()).hasSizeGreaterThan(1);
    assertThat(result)
        .extracting(DeferralResult::rows, DeferralResult::deferred)
        .containsExactly(18_000L, 2_000L);
    assertThat(query(tableGlob(), "count(*), count(DISTINCT id), min(email IS NULL)"))
        .containsExactly(List.of("18000", "18000", "false"));
    assertThat(query(deferredGlob(), "count(*), max(email)"))
        .containsExactly(List.of("2000", "null"));
    assertThat(heartbeats).containsExactly(4096L, 8192L, 12288L, 16384L);
  }

  @Test
  void givenApplyDeferralRetriedAfterACrashedAttempt_whenRunAgain_thenItLeavesTheSameFiles()
      throws Exception {
    run("run-1", T0, EMAIL_BY_ID, row("1", null, "Ada"), row("2", null, "Bob"));
    List<String> staged =
        stage(sink(), "run-2", row("1", "a@x", "Ada"), row("3", null, "Cy"), row("4", "d@x", "Di"));
    DeferralResult first = applyDeferral("run-2", sink(), staged, EMAIL_BY_ID, T0 + 8 * DAY);
    Map<String, String> afterFirst = contents(first.stagingUri());
    // What a worker that died mid-write leaves behind.
    Files.writeString(localPath(first.stagingUri()).resolve("deferred/part-torn.parquet"), "torn");
    Files.delete(localPath(first.stagingUri()).resolve(first.files().get(0)));

    DeferralResult retried = applyDeferral("run-2", sink(), staged, EMAIL_BY_ID, T0 + 8 * DAY);

    assertThat(retried).isEqualTo(first);
    assertThat(contents(retried.stagingUri())).isEqualTo(afterFirst);
    assertThat(afterFirst.keySet())
        .containsExactlyInAnyOrder(
            PartFiles.name("run-2", 0),
            "deferred/" + PartFiles.name("run-2-" + (T0 + 8 * DAY), 0),
            "expired/" + PartFiles.name("run-2-" + (T0 + 8 * DAY), 0),
            DeferralManifest.NAME);
  }

  @Test
  void givenPublishCrashedMidway_whenRetriedAndRepeated_thenTablesHoldEveryRowOnce()
      throws Exception {
    run("run-1", T0, EMAIL_BY_ID, row("1", null, "Ada"), row("2", null, "Bob"));
    List<String> staged =
        stage(sink(), "run-2", row("1", "a@x", "Ada"), row("3", null, "Cy"), row("4", "d@x", "Di"));
    DeferralResult split = applyDeferral("run-2", sink(), staged, EMAIL_BY_ID, T0 + 8 * DAY);
    // The crash: the output file and the new deferred file moved in, the old deferred file not
    // yet deleted, the expired file still staged.
    Path deferral = localPath(split.stagingUri());
    Path table = localPath(tableUri());
    Files.move(deferral.resolve(split.files().get(0)), table.resolve(split.files().get(0)));
    Path deferredTable = table.resolve("_sluice/deferred");
    Files.move(
        deferral.resolve("deferred/" + PartFiles.name("run-2-" + (T0 + 8 * DAY), 0)),
        deferredTable.resolve(PartFiles.name("run-2-" + (T0 + 8 * DAY), 0)));
    assertThat(deferredFiles()).hasSize(2);

    publish("run-2", sink(), split);
    Map<String, String> published = contents(tableUri());
    publish("run-2", sink(), split); // its completion was lost: Temporal runs it again

    assertThat(contents(tableUri())).isEqualTo(published);
    assertThat(tableRows()).containsExactly(List.of("1", "a@x", "Ada"), List.of("4", "d@x", "Di"));
    assertThat(deferredRows())
        .containsExactly(List.of("3", "null", "Cy", Long.toString(T0 + 8 * DAY)));
    assertThat(query(expiredGlob(), "id")).containsExactly(List.of("2"));
    assertThat(published.keySet())
        .containsExactlyInAnyOrder(
            PartFiles.name("run-2", 0),
            "_sluice/deferred/" + PartFiles.name("run-2-" + (T0 + 8 * DAY), 0),
            "_sluice/deferred/_expired/" + PartFiles.name("run-2-" + (T0 + 8 * DAY), 0),
            "_sluice/schema/00000000000000000001.json"); // the table's schema, run-1's version
  }

  @Test
  void givenDeferralNeverApplied_whenPublishedWithDefer_thenNonRetryableStagedFileMissing() {
    List<String> staged = stage(sink(), "run-1", row("1", "a@x", "Ada"));
    PublishRequest request =
        new PublishRequest(
            "run-1",
            sink(),
            RunKeys.staging(sink(), "run-1"),
            staged,
            null,
            null,
            EMAIL_BY_ID,
            null,
            0);

    assertThatThrownBy(() -> activities.publish(request))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getType()).isEqualTo(FailureType.STAGED_FILE_MISSING.type());
              assertThat(f.getOriginalMessage()).contains("_deferral/_manifest.json is missing");
            });
    assertThat(localPath(RunKeys.staging(sink(), "run-1")).resolve(staged.get(0))).exists();
  }

  @Test
  void givenActivityContext_whenApplyDeferralRuns_thenItHeartbeatsThroughTemporal() {
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      rows.add(row(Integer.toString(i), "e" + i, "n"));
    }
    List<String> staged = stage(sink(), "run-1", rows.toArray(String[][]::new));
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      List<Long> beats = new CopyOnWriteArrayList<>();
      env.setActivityHeartbeatListener(Long.class, beats::add);
      env.registerActivitiesImplementations(activities);
      ParquetSinkActivities stub =
          env.newActivityStub(
              ParquetSinkActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(60))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());

      DeferralResult result =
          stub.applyDeferral(
              new DeferralRequest(
                  "run-1", sink(), RunKeys.staging(sink(), "run-1"), staged, EMAIL_BY_ID, T0));

      assertThat(result.rows()).isEqualTo(5_000);
      assertThat(beats).containsExactly(4096L);
    } finally {
      env.close();
    }
  }

  @Test
  void givenPartsStagedWithDifferentColumns_whenApplied_thenNoColumnOfAnyPartIsLost()
      throws Exception {
    // Two parts of one run, each with its own writer: the first part's rows have a zip, the
    // second's (staged last) do not.
    List<String> staged = new ArrayList<>();
    staged.addAll(stagePart(sink(), "run-1", 0, row("1", "a@x", "Ada", "75001")));
    staged.addAll(stagePart(sink(), "run-1", 1, row("2", "b@x", "Bob")));

    DeferralResult result = applyDeferral("run-1", sink(), staged, EMAIL_BY_ID, T0);
    publish("run-1", sink(), result);

    assertThat(query(tableGlob(), "id, zip"))
        .containsExactly(List.of("1", "75001"), List.of("2", "null"));
  }

  // --- helpers -----------------------------------------------------------------------------

  /** Stages rows as part {@code part} of a result in parts does: its own writer and file names. */
  private List<String> stagePart(ParquetSink sink, String runKey, int part, String[]... rows) {
    List<String> names = new ArrayList<>(List.of("id", "email", "name"));
    if (rows[0].length > 3) {
      names.add("zip");
    }
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(
            files,
            sink,
            RunKeys.staging(sink, runKey),
            String.format("%05d-%s", part, runKey),
            null,
            null)) {
      writer.columns(names);
      for (String[] row : rows) {
        writer.record(row);
      }
      return writer.finish().files();
    }
  }

  private DeferralResult run(String runKey, long now, DeferralSpec rule, String[]... rows) {
    List<String> staged = stage(sink(), runKey, rows);
    DeferralResult result = applyDeferral(runKey, sink(), staged, rule, now);
    publish(runKey, sink(), result, rule);
    return result;
  }

  private DeferralResult applyDeferral(
      String runKey, ParquetSink sink, List<String> staged, DeferralSpec rule, long now) {
    return activities.applyDeferral(
        new DeferralRequest(runKey, sink, RunKeys.staging(sink, runKey), staged, rule, now),
        heartbeats::add);
  }

  private void publish(String runKey, ParquetSink sink, DeferralResult result) {
    publish(runKey, sink, result, EMAIL_BY_ID);
  }

  private void publish(String runKey, ParquetSink sink, DeferralResult result, DeferralSpec rule) {
    activities.publish(
        new PublishRequest(
            runKey, sink, result.stagingUri(), result.files(), null, null, rule, null, 0));
  }

  /** Stages rows (text, as a CSV page delivers them) with the real staging writer. */
  private List<String> stage(ParquetSink sink, String runKey, String[]... rows) {
    List<String> names = new ArrayList<>(List.of("id", "email", "name"));
    if (rows.length > 0 && rows[0].length > 3) {
      names.add("zip");
    }
    WriterState state;
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(files, sink, RunKeys.staging(sink, runKey), runKey, null, null)) {
      writer.columns(names);
      for (String[] row : rows) {
        writer.record(row);
      }
      state = writer.finish();
    }
    return state.files();
  }

  private static String[] row(String... values) {
    return values;
  }

  private ParquetSink sink() {
    return new ParquetSink(tableUri(), "append", "snappy", "128MB", COLUMNS, 10);
  }

  private ParquetSink sinkWith(ColumnSpec extra) {
    List<ColumnSpec> columns = new ArrayList<>(COLUMNS);
    columns.add(extra);
    return new ParquetSink(tableUri(), "append", "snappy", "128MB", columns, 10);
  }

  private String tableUri() {
    return dir.resolve("table").toUri().toString().replaceAll("/$", "");
  }

  private static Path localPath(String uri) {
    return Path.of(URI.create(uri));
  }

  private String tableGlob() {
    return localPath(tableUri()) + "/*.parquet";
  }

  private String deferredGlob() {
    return localPath(tableUri()) + "/_sluice/deferred/*.parquet";
  }

  private String expiredGlob() {
    return localPath(tableUri()) + "/_sluice/deferred/_expired/*.parquet";
  }

  private List<List<String>> tableRows() throws SQLException {
    return query(tableGlob(), "id, email, name");
  }

  private List<List<String>> deferredRows() throws SQLException {
    return query(deferredGlob(), "id, email, name, epoch_ms(_sluice_deferred_at)");
  }

  private List<String> tableFiles() throws IOException {
    return parquetFiles(localPath(tableUri()));
  }

  private List<String> deferredFiles() throws IOException {
    return parquetFiles(localPath(tableUri()).resolve("_sluice/deferred"));
  }

  private List<String> expiredFiles() throws IOException {
    return parquetFiles(localPath(tableUri()).resolve("_sluice/deferred/_expired"));
  }

  private static List<String> parquetFiles(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      return List.of();
    }
    try (Stream<Path> paths = Files.list(directory)) {
      return paths
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".parquet"))
          .sorted()
          .toList();
    }
  }

  /** Every file under {@code uri}: relative path → content digest. */
  private static Map<String, String> contents(String uri) throws IOException {
    Path root = localPath(uri);
    Map<String, String> contents = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        contents.put(
            root.relativize(p).toString(),
            java.util.HexFormat.of()
                .formatHex(
                    java.security.MessageDigest.getInstance("SHA-256")
                        .digest(Files.readAllBytes(p))));
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    return contents;
  }

  /** Rows of {@code SELECT columns FROM read_parquet(glob) ORDER BY 1}, values as text. */
  private static List<List<String>> query(String glob, String columns) throws SQLException {
    String sql = "SELECT " + columns + " FROM read_parquet('" + glob + "') ORDER BY ALL";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      List<List<String>> rows = new ArrayList<>();
      int width = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        List<String> row = new ArrayList<>(width);
        for (int i = 1; i <= width; i++) {
          row.add(String.valueOf(rs.getString(i)));
        }
        rows.add(row);
      }
      return rows;
    }
  }
}
