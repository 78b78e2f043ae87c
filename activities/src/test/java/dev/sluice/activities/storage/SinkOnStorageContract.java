package dev.sluice.activities.storage;

import dev.sluice.activities.http.ProviderClients;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.HttpJobActivitiesImpl;
import dev.sluice.activities.parquet.ParquetSinkActivitiesImpl;
import dev.sluice.activities.parquet.ParquetStagingWriter;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.RunKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import okhttp3.OkHttpClient;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * The Parquet sink against one real storage: what the staging writer and publish do on the local
 * disk they must do on it too, read back by a plain Parquet reader. Subclasses start the storage
 * once per class and give its root and Hadoop configuration; each test uses a table of its own
 * under that root.
 */
abstract class SinkOnStorageContract {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static final List<ColumnSpec> COLUMNS =
      List.of(new ColumnSpec("id", "long", null), new ColumnSpec("modified", "timestamp", null));
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Where tables go, e.g. {@code s3a://bucket/tables}; no trailing slash. */
  abstract String root();

  /** The worker's Hadoop configuration for this storage. */
  abstract Configuration conf();

  private HadoopFiles files() {
    return new HadoopFiles(conf());
  }

  private TableFiles reader() {
    return new TableFiles(conf());
  }

  String newTable(String name) {
    return root() + "/" + name + "-" + TABLES.incrementAndGet();
  }

  /** Stages rows {@code [from, to)} for {@code runKey}, 50 rows to a file; returns the state. */
  WriterState stage(ParquetSink sink, String runKey, int from, int to) {
    return stageWith(files(), sink, runKey, from, to);
  }

  static WriterState stageWith(
      HadoopFiles files, ParquetSink sink, String runKey, int from, int to) {
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(
            files, sink, RunKeys.staging(sink, runKey), runKey, "modified", null)) {
      writer.columns(List.of("id", "modified", "name"));
      for (int i = from; i < to; i++) {
        writer.record(new Object[] {Integer.toString(i), T0.plusSeconds(i).toString(), "row " + i});
        if ((i - from) % 50 == 49) {
          writer.endPage();
        }
      }
      return writer.finish();
    }
  }

  PublishRequest publishRequest(ParquetSink sink, String runKey, WriterState state) {
    return new PublishRequest(
        runKey,
        sink,
        RunKeys.staging(sink, runKey),
        state.files(),
        "modified",
        state.maxWatermark());
  }

  static ParquetSink sink(String table, String mode) {
    // 1KB files: a 50-row page overshoots it, so every page boundary closes a file.
    return new ParquetSink(table, mode, "snappy", "1KB", COLUMNS, 10);
  }

  static List<Map<String, Object>> rows(int from, int to) {
    return IntStream.range(from, to)
        .mapToObj(
            i ->
                Map.<String, Object>of(
                    "id",
                    (long) i,
                    "modified",
                    ChronoUnit.MICROS.between(Instant.EPOCH, T0.plusSeconds(i)),
                    "name",
                    "row " + i))
        .toList();
  }

  @Test
  void givenTwoAppendsThenASnapshot_whenPublished_thenReadersSeeEachTableStateAndItsWatermark() {
    String table = newTable("append-then-snapshot");
    ParquetSinkActivitiesImpl sink = new ParquetSinkActivitiesImpl(files());

    WriterState first = stage(sink(table, "append"), "run-1", 0, 120);
    sink.publish(publishRequest(sink(table, "append"), "run-1", first));
    WriterState second = stage(sink(table, "append"), "run-2", 120, 200);
    sink.publish(publishRequest(sink(table, "append"), "run-2", second));

    assertThat(first.files()).hasSizeGreaterThan(1);
    assertThat(reader().rows(table)).containsExactlyElementsOf(rows(0, 200));
    assertThat(sink.readWatermark(new WatermarkRequest(sink(table, "append"))).watermark())
        .isEqualTo(T0.plusSeconds(199).toString());

    WriterState third = stage(sink(table, "snapshot"), "run-3", 500, 560);
    PublishResult snapshot = sink.publish(publishRequest(sink(table, "snapshot"), "run-3", third));

    assertThat(reader().rows(table)).containsExactlyElementsOf(rows(500, 560));
    assertThat(reader().dataFiles(table)).containsExactlyElementsOf(third.files());
    assertThat(snapshot.files())
        .containsExactlyElementsOf(third.files().stream().map(n -> table + "/" + n).toList());
    assertThat(snapshot.bytes()).isEqualTo(third.bytes());
    assertThat(sink.readWatermark(new WatermarkRequest(sink(table, "snapshot"))).watermark())
        .isEqualTo(T0.plusSeconds(559).toString());
    assertThat(reader().exists(table + "/_sluice/staging/run-1")).isFalse();
    assertThat(reader().exists(table + "/_sluice/staging/run-3")).isFalse();
  }

  @Test
  void givenPublishRepeatedAfterALostCompletion_whenPublishedAgain_thenNothingChanges() {
    String table = newTable("repeat");
    ParquetSinkActivitiesImpl sink = new ParquetSinkActivitiesImpl(files());
    WriterState state = stage(sink(table, "snapshot"), "run-1", 0, 150);
    PublishRequest request = publishRequest(sink(table, "snapshot"), "run-1", state);

    PublishResult published = sink.publish(request);

    assertThat(sink.publish(request)).isEqualTo(published);
    assertThat(reader().rows(table)).containsExactlyElementsOf(rows(0, 150));
  }

  @Test
  void givenPublishCrashedWithSomeFilesIn_whenPublishedAgain_thenTableHoldsEveryRowOnce()
      throws IOException {
    String table = newTable("crash");
    ParquetSinkActivitiesImpl sink = new ParquetSinkActivitiesImpl(files());
    WriterState old = stage(sink(table, "snapshot"), "run-0", 900, 950);
    sink.publish(publishRequest(sink(table, "snapshot"), "run-0", old));
    WriterState state = stage(sink(table, "snapshot"), "run-1", 0, 200);
    assertThat(state.files()).hasSize(4);
    String staging = RunKeys.staging(sink(table, "snapshot"), "run-1");
    FileSystem fs = new Path(table).getFileSystem(conf());
    // The crash: file 0 fully moved; file 1 copied in but its staged copy not yet deleted (a
    // rename on an object store interrupted between its copy and its delete); 2 and 3 untouched.
    fs.rename(new Path(staging, state.files().get(0)), new Path(table, state.files().get(0)));
    FileUtil.copy(
        fs,
        new Path(staging, state.files().get(1)),
        fs,
        new Path(table, state.files().get(1)),
        false,
        conf());

    assertThat(reader().rows(table))
        .as("mid-publish, readers still see the old snapshot in full")
        .containsAll(rows(900, 950));

    sink.publish(publishRequest(sink(table, "snapshot"), "run-1", state));

    assertThat(reader().rows(table)).containsExactlyElementsOf(rows(0, 200));
    assertThat(reader().exists(staging)).isFalse();
  }

  @Test
  void givenGenericExport_whenRunThroughTheRealActivities_thenTableHoldsEverySourceRow() {
    SandboxConfig config = SandboxConfig.defaults().withPollsBeforeReady(0);
    String table = newTable("events");
    ParquetSink sink = new ParquetSink(table, "snapshot", "zstd", "4KB", null, 20);
    String runKey = RunKeys.of("ingest/events/2026-11-22T00:00:00Z");
    try (SandboxServer sandbox = SandboxServer.start(config)) {
      HttpJobActivitiesImpl http =
          new HttpJobActivitiesImpl(
              new ProviderClients(
                  new OkHttpClient(),
                  new ObjectMapper(),
                  new SecretResolver(
                      Map.of("EXPORT_API_KEY", config.apiKey())::get, "storage-test"),
                  new SimpleMeterRegistry()),
              files());
      ParquetSinkActivitiesImpl parquet = new ParquetSinkActivitiesImpl(files());
      AsyncHttpSource source = ExportSource.events(sandbox.baseUrl(), 40, 250);

      String requestId =
          http.submit(
                  new SubmitRequest(
                      runKey, source, Map.of(), RunKeys.receipt(sink, runKey, "temporal-run")))
              .requestId();
      Map<String, String> vars = new HashMap<>();
      vars.put("requestId", requestId);
      assertThat(http.checkStatus(new StatusRequest(source, Map.copyOf(vars))).outcome())
          .isEqualTo(Outcome.READY);
      String staging = RunKeys.staging(sink, runKey);
      ExtractResult extracted =
          extractInActivityContext(
              http,
              new ExtractRequest(runKey, source, Map.copyOf(vars), sink, staging, "created_at"));
      PublishResult published =
          parquet.publish(
              new PublishRequest(
                  runKey,
                  sink,
                  staging,
                  extracted.files(),
                  "created_at",
                  extracted.maxWatermark()));

      assertThat(extracted.files()).hasSizeGreaterThan(1);
      assertThat(published.files()).hasSameSizeAs(extracted.files());
      assertThat(reader().rows(table))
          .containsExactlyElementsOf(ExportSource.expectedRows(config.seed(), 0, 250));
      assertThat(parquet.readWatermark(new WatermarkRequest(sink)).watermark())
          .isEqualTo(extracted.maxWatermark())
          .isNotNull();
      assertThat(reader().exists(RunKeys.receipt(sink, runKey, "temporal-run"))).isTrue();
    }
  }

  @Test
  void givenRowsDeferredInRun1_whenCompletedOrExpiredLater_thenEachLandsOnceOrIsKeptAsExpired() {
    String table = newTable("deferral");
    ParquetSink sink = sink(table, "append");
    DeferralSpec rule = new DeferralSpec(List.of("name"), List.of("id"), Duration.ofDays(7), null);
    ParquetSinkActivitiesImpl parquet = new ParquetSinkActivitiesImpl(files());
    long t0 = T0.toEpochMilli();
    long day = Duration.ofDays(1).toMillis();
    List<Integer> everyTenth = IntStream.range(0, 10).map(i -> i * 10).boxed().toList();

    // Run 1: 0..99, every tenth without a name yet.
    DeferralResult first =
        deferAndPublish(parquet, sink, rule, "run-1", t0, IntStream.range(0, 100), everyTenth);
    // Run 2, a day later: 0 and 10 arrive with their names; 100..104 are new.
    DeferralResult second =
        deferAndPublish(
            parquet,
            sink,
            rule,
            "run-2",
            t0 + day,
            IntStream.concat(IntStream.of(0, 10), IntStream.range(100, 105)),
            List.of());
    // Run 3, past retention: 20..90 never got a name.
    DeferralResult third =
        deferAndPublish(parquet, sink, rule, "run-3", t0 + 8 * day, IntStream.of(200), List.of());

    assertThat(first)
        .extracting(DeferralResult::rows, DeferralResult::deferred)
        .containsExactly(90L, 10L);
    assertThat(second)
        .extracting(DeferralResult::rows, DeferralResult::superseded, DeferralResult::deferred)
        .containsExactly(7L, 2L, 8L);
    assertThat(third)
        .extracting(DeferralResult::expired, DeferralResult::deferred)
        .containsExactly(8L, 0L);
    List<Long> expected =
        IntStream.concat(
                IntStream.range(0, 100).filter(i -> i % 10 != 0),
                IntStream.of(0, 10, 100, 101, 102, 103, 104, 200))
            .sorted()
            .mapToObj(i -> (long) i)
            .toList();
    assertThat(ids(table)).containsExactlyElementsOf(expected);
    assertThat(reader().rows(table + "/_sluice/deferred")).isEmpty();
    assertThat(ids(table + "/_sluice/deferred/_expired"))
        .containsExactly(20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L);
    assertThat(reader().exists(RunKeys.staging(sink, "run-3"))).isFalse();
  }

  /** Stages {@code ids} (those in {@code nameless} without a name), defers, then publishes. */
  private DeferralResult deferAndPublish(
      ParquetSinkActivitiesImpl parquet,
      ParquetSink sink,
      DeferralSpec rule,
      String runKey,
      long now,
      IntStream ids,
      List<Integer> nameless) {
    List<String> staged;
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(
            files(), sink, RunKeys.staging(sink, runKey), runKey, null, null)) {
      writer.columns(List.of("id", "modified", "name"));
      ids.forEach(
          i ->
              writer.record(
                  new Object[] {
                    Integer.toString(i),
                    T0.plusSeconds(i).toString(),
                    nameless.contains(i) ? null : "row " + i
                  }));
      staged = writer.finish().files();
    }
    DeferralResult result =
        inActivityContext(
            parquet,
            stub ->
                stub.applyDeferral(
                    new DeferralRequest(
                        runKey, sink, RunKeys.staging(sink, runKey), staged, rule, now)));
    parquet.publish(
        new PublishRequest(
            runKey, sink, result.stagingUri(), result.files(), null, null, rule, null, 0));
    return result;
  }

  private List<Long> ids(String table) {
    return reader().rows(table).stream().map(r -> (Long) r.get("id")).sorted().toList();
  }

  /** applyDeferral heartbeats, so it runs in Temporal's test activity environment, one attempt. */
  private static <T> T inActivityContext(
      ParquetSinkActivities activities,
      java.util.function.Function<ParquetSinkActivities, T> call) {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(activities);
      return call.apply(
          env.newActivityStub(
              ParquetSinkActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(60))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build()));
    } finally {
      env.close();
    }
  }

  /** Extract heartbeats, so it runs in Temporal's test activity environment, one attempt. */
  private static ExtractResult extractInActivityContext(
      HttpJobActivities activities, ExtractRequest request) {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(activities);
      HttpJobActivities stub =
          env.newActivityStub(
              HttpJobActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(60))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      return stub.extract(request);
    } finally {
      env.close();
    }
  }
}
