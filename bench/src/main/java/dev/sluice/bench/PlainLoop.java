package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.HttpJobActivitiesImpl;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.activities.parquet.ParquetSinkActivitiesImpl;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.CleanupRequest;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.WatermarkRequest;
import dev.sluice.workflows.activities.ParquetSinkActivities;
import dev.sluice.workflows.activities.RunKeys;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import okhttp3.OkHttpClient;

/**
 * The workflow's steps without the workflow: the production activity implementations, built as
 * {@code ActivityLibrary} builds them, called in the workflow's order through {@link
 * TestActivityEnvironment} (which runs an activity method in-process and gives it an activity
 * context to heartbeat to). No Temporal server, no timers, no history.
 */
final class PlainLoop implements AutoCloseable {
  /**
   * {@code -Dextract.noWindow=true}: the extract keeps every row, as the file variant does, so the
   * writer checks no row against the window (to measure what that check costs).
   */
  private static final boolean NO_WINDOW = Boolean.getBoolean("extract.noWindow");

  private final TestActivityEnvironment env = TestActivityEnvironment.newInstance();
  private final HttpJobActivities http;
  private final ParquetSinkActivities sink;

  /** The extract stage's time and result of the last {@link #run}. */
  long lastExtractNanos;

  ExtractResult lastExtract;

  PlainLoop(Function<String, String> environment) {
    OkHttpClient client =
        new OkHttpClient.Builder()
            .connectTimeout(Duration.ofSeconds(10))
            .readTimeout(Duration.ofSeconds(120))
            .build();
    HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
    env.registerActivitiesImplementations(
        new HttpJobActivitiesImpl(
            new ProviderClients(
                client,
                new ObjectMapper(),
                new SecretResolver(environment, "localhost"),
                new SimpleMeterRegistry()),
            files),
        new ParquetSinkActivitiesImpl(files));
    ActivityOptions options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(10))
            .setHeartbeatTimeout(Duration.ofMinutes(1))
            .build();
    http = env.newActivityStub(HttpJobActivities.class, options);
    sink = env.newActivityStub(ParquetSinkActivities.class, options);
  }

  /** One run: watermark, submit, poll, extract, publish, delete; returns the rows published. */
  long run(PipelineSpec spec, String runId, String logicalDate) throws InterruptedException {
    AsyncHttpSource source = (AsyncHttpSource) spec.source();
    ParquetSink table = (ParquetSink) spec.sink();
    String key = RunKeys.of(runId);
    String staging = RunKeys.staging(table, key);
    String watermark = sink.readWatermark(new WatermarkRequest(table)).watermark();
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("pipeline", spec.name());
    vars.put("logicalDate", logicalDate);
    vars.put("runId", runId);
    vars.put("watermark", watermark == null ? spec.incremental().initial() : watermark);
    // As a window's run: it reads up to the incremental's open end.
    vars.put("watermarkEnd", spec.incremental().openEnd());
    String requestId =
        http.submit(new SubmitRequest(key, source, vars, RunKeys.receipt(table, key, "plain")))
            .requestId();
    vars.put("requestId", requestId);
    Duration interval = source.status().interval();
    while (http.checkStatus(new StatusRequest(source, vars)).outcome() != Outcome.READY) {
      Thread.sleep(interval.toMillis());
    }
    long t0 = System.nanoTime();
    // As the workflow asks for a new window: rows at or below the watermark are dropped, so the
    // writer checks each row's watermark against the window's range here too (unless
    // -Dextract.noWindow=true, which measures what that check costs).
    ExtractResult extracted =
        http.extract(
            new ExtractRequest(
                key,
                source,
                vars,
                table,
                staging,
                spec.incremental().column(),
                NO_WINDOW ? null : vars.get("watermark"),
                null));
    lastExtractNanos = System.nanoTime() - t0;
    lastExtract = extracted;
    sink.publish(
        new PublishRequest(
            key,
            table,
            staging,
            extracted.files(),
            spec.incremental().column(),
            extracted.maxWatermark()));
    http.delete(new CleanupRequest(source, vars));
    return extracted.rows();
  }

  @Override
  public void close() {
    env.close();
  }
}
