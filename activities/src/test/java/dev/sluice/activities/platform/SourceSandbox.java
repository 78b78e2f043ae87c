package dev.sluice.activities.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.activities.iceberg.IcebergCatalogs;
import dev.sluice.activities.iceberg.IcebergFormat;
import dev.sluice.activities.parquet.TableFormats;
import dev.sluice.pipeline.IcebergSink;
import java.time.Clock;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.pipeline.PlatformConnectionSpec;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.sandbox.platform.ContentBatchSeed;
import dev.sluice.sandbox.platform.ContentBatchSeed.FileSeed;
import dev.sluice.sandbox.platform.DatasetSeed;
import dev.sluice.sandbox.platform.FieldType;
import dev.sluice.sandbox.platform.PlatformCredentials;
import dev.sluice.sandbox.platform.PlatformEmulator;
import dev.sluice.workflows.activities.PlatformSourceActivities;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.apache.hadoop.conf.Configuration;

/**
 * The sandbox's platform emulation on a free loopback port (plus a dataset with a field of every
 * type, {@link #TYPED}) and the real source activities of one worker pointed at it, inside
 * Temporal's activity test environment (one attempt per call: tests retry by calling again, as
 * Temporal would). The worker's environment holds the credentials; the source carries only {@code
 * ${env:…}} references to them.
 */
final class SourceSandbox implements AutoCloseable {
  /** A dataset with a field of every type the emulation knows. */
  static final String TYPED = "5f00000000000000000000aa";

  final SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults());
  final PlatformEmulator platform = sandbox.platform();
  final HadoopFiles files = new HadoopFiles(new Configuration());
  /** The worker's table formats: Parquet folders and Iceberg tables, as a worker has them. */
  final TableFormats formats =
      TableFormats.of(
          files,
          Clock.systemUTC(),
          Map.of(
              IcebergSink.class,
              new IcebergFormat(new IcebergCatalogs(files.conf(), secrets()), files, Clock.systemUTC())));
  final List<Long> heartbeats = new CopyOnWriteArrayList<>();
  final TestActivityEnvironment env = TestActivityEnvironment.newInstance();
  final List<TestActivityEnvironment> others = new CopyOnWriteArrayList<>();
  final OkHttpClient client;
  final PlatformSourceActivities activities;
  final PlatformBatchActivitiesImpl batchActivities;

  SourceSandbox() {
    this(new OkHttpClient());
  }

  /** With the worker's HTTP client given (tests add interceptors to it). */
  SourceSandbox(OkHttpClient client) {
    this.client = client;
    activities = worker(env);
    batchActivities =
        new PlatformBatchActivitiesImpl(
            new ProviderClients(client, new ObjectMapper(), secrets(), new SimpleMeterRegistry()),
            files);
    reset();
  }

  /**
   * The same activities in an activity environment of their own: one environment runs one activity
   * at a time, and two workers read at once.
   */
  PlatformSourceActivities secondWorker() {
    TestActivityEnvironment second = TestActivityEnvironment.newInstance();
    others.add(second);
    return worker(second);
  }

  private PlatformSourceActivities worker(TestActivityEnvironment environment) {
    environment.registerActivitiesImplementations(
        new PlatformSourceActivitiesImpl(
            new ProviderClients(client, new ObjectMapper(), secrets(), new SimpleMeterRegistry()),
            files,
            formats,
            // Every chance to heartbeat is taken, so tests see them without waiting.
            Duration.ZERO));
    environment.setActivityHeartbeatListener(Long.class, heartbeats::add);
    return environment.newActivityStub(
        PlatformSourceActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build());
  }

  /** A worker's environment: the sandbox's credentials, for the sources' references. */
  private SecretResolver secrets() {
    PlatformCredentials creds = platform.credentials();
    return new SecretResolver(
        Map.of(
                "PLATFORM_CLIENT_ID", creds.clientId(),
                "PLATFORM_CLIENT_SECRET", creds.clientSecret())
            ::get,
        "source-test-worker");
  }

  /** The emulation as at start-up plus the typed dataset; no heartbeats recorded. */
  void reset() {
    platform.reset();
    heartbeats.clear();
    platform.seedDataset(
        new DatasetSeed(
            TYPED,
            "Typed source",
            1,
            "context/typed",
            false,
            List.of(
                new DatasetSeed.Field("id", FieldType.STRING),
                new DatasetSeed.Field("year", FieldType.INT),
                new DatasetSeed.Field("points", FieldType.LONG),
                new DatasetSeed.Field("score", FieldType.DOUBLE),
                new DatasetSeed.Field("optIn", FieldType.BOOLEAN),
                new DatasetSeed.Field("seenAt", FieldType.DATE_TIME))));
  }

  PlatformConnectionSpec connection() {
    return new PlatformConnectionSpec(
        sandbox.baseUrl() + "/data/foundation",
        null,
        sandbox.baseUrl() + "/ims/token/v3",
        "${env:PLATFORM_CLIENT_ID}",
        "${env:PLATFORM_CLIENT_SECRET}",
        "openid,AdobeID",
        null,
        null,
        null,
        platform.credentials().imsOrg(),
        platform.credentials().sandboxName(),
        null);
  }

  /** The dataset as a source whose listings ask {@code pageSize} entries per page. */
  PlatformBatchesSource source(String datasetId, int pageSize) {
    return new PlatformBatchesSource(
        connection(), datasetId, null, null, null, null, pageSize, null, null);
  }

  /** A platform-batch sink sending to {@code datasetId}. */
  PlatformBatchSink sink(String datasetId) {
    return new PlatformBatchSink(
        null, null, null, null, null, connection(), datasetId, null, null, null, null, null, null);
  }

  /** A Parquet table at {@code path} rolling files at {@code targetFileSize}. */
  static ParquetSink table(String path, String targetFileSize) {
    return new ParquetSink(path, null, "none", targetFileSize, null, null);
  }

  /** A successful batch of the typed dataset holding {@code files}. */
  void seed(String batchId, long created, FileSeed... files) {
    seed(batchId, created, "success", files);
  }

  void seed(String batchId, long created, String status, FileSeed... files) {
    platform.seedContentBatch(
        new ContentBatchSeed(batchId, TYPED, created, status, List.of(files), List.of()));
  }

  /** A row of the typed dataset. */
  static Map<String, Object> row(String id, int year, long points, double score, boolean optIn) {
    return Map.of(
        "id",
        id,
        "year",
        year,
        "points",
        points,
        "score",
        score,
        "optIn",
        optIn,
        "seenAt",
        1_709_251_200_000L + points);
  }

  @Override
  public void close() {
    others.forEach(TestActivityEnvironment::close);
    env.close();
    sandbox.close();
  }
}
