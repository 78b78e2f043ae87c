package dev.sluice.workers.metrics;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.pipeline.ExtractSpec;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.RequestIdSpec;
import dev.sluice.pipeline.StatusSpec;
import dev.sluice.pipeline.SubmitSpec;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workers.SluiceWorker;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflow;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * One whole pipeline run on a worker wired as {@code WorkerMain} wires it: the real workflow and
 * activities, one {@link WorkerMetrics} behind both the activities' registry and the SDK's scope,
 * the endpoint on a free loopback port. The provider is the sandbox's generic export API (CSV,
 * offset paging), on Temporal's time-skipping test server.
 */
final class PipelineRun {
  static final String PIPELINE = "metrics-events";
  static final String TASK_QUEUE = "metrics-test";
  static final int RECORDS = 250;
  static final int PAGE_SIZE = 40;

  /** The first status check finds the export running, the second ready. */
  static final int POLLS = 2;

  /** Long enough to land in a bucket above 1s; time skipping makes it free. */
  static final Duration STATUS_INTERVAL = Duration.ofSeconds(20);

  final SandboxServer sandbox;
  final AsyncIngestResult result;
  final WorkerMetrics metrics;

  private PipelineRun(SandboxServer sandbox, AsyncIngestResult result, WorkerMetrics metrics) {
    this.sandbox = sandbox;
    this.result = result;
    this.metrics = metrics;
  }

  /**
   * Runs the pipeline to completion, stops the worker and flushes the SDK's metrics; the endpoint
   * stays up until {@link #close()}.
   */
  static PipelineRun run(Path dir) {
    SandboxConfig config = SandboxConfig.defaults().withPollsBeforeReady(POLLS);
    SandboxServer sandbox = SandboxServer.start(config);
    WorkerMetrics metrics =
        WorkerMetrics.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Duration.ofMillis(100));
    try {
      TestWorkflowEnvironment temporal =
          TestWorkflowEnvironment.newInstance(
              TestEnvironmentOptions.newBuilder().setMetricsScope(metrics.temporalScope()).build());
      AsyncIngestResult result;
      try {
        Map<String, String> env = Map.of("EXPORT_API_KEY", config.apiKey());
        try (SluiceWorker worker =
            SluiceWorker.start(
                temporal.getWorkflowClient(),
                TASK_QUEUE,
                ActivityLibrary.create(env::get, metrics.registry()),
                Duration.ofSeconds(5))) {
          AsyncIngestWorkflow workflow =
              temporal
                  .getWorkflowClient()
                  .newWorkflowStub(
                      AsyncIngestWorkflow.class,
                      WorkflowOptions.newBuilder()
                          .setTaskQueue(TASK_QUEUE)
                          .setWorkflowId("ingest/" + PIPELINE + "/2026-01-01T00:00:00Z")
                          .build());
          result =
              workflow.run(
                  AsyncIngestInput.of(
                      pipeline(sandbox.baseUrl(), dir.resolve("table").toUri().toString()),
                      "2026-01-01T00:00:00Z"));
        }
      } finally {
        temporal.close();
      }
      // What WorkerMain's shutdown does first: the SDK's last counters reach the registry.
      metrics.flush();
      return new PipelineRun(sandbox, result, metrics);
    } catch (RuntimeException e) {
      metrics.close();
      sandbox.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:<port>/metrics}. */
  String endpoint() {
    InetSocketAddress address = metrics.address().orElseThrow();
    return "http://127.0.0.1:" + address.getPort() + "/metrics";
  }

  void close() {
    metrics.close();
    sandbox.close();
  }

  /**
   * The sandbox's generic export of {@link #RECORDS} events as CSV in pages of {@link #PAGE_SIZE},
   * authenticated with an API key from a secret reference, into a snapshot table whose files roll
   * at every page (1 byte, types inferred from the first 10 rows), so completed files are counted
   * at checkpoints as well as at the end.
   */
  static PipelineSpec pipeline(String baseUrl, String tableUri) {
    AuthSpec auth =
        new AuthSpec.ApiKey("X-API-Key", "${env:EXPORT_API_KEY}");
    SubmitSpec submit =
        new SubmitSpec(
            "POST",
            baseUrl + "/generic/exports",
            Map.of("Content-Type", "application/json"),
            String.format(
                "{\"dataset\":\"events\",\"format\":\"csv\",\"pagination\":\"offset\",\"pageSize\":%d,\"records\":%d}",
                PAGE_SIZE, RECORDS),
            new RequestIdSpec("body", "/uri", null, "/syncs/([0-9]+)$"));
    StatusSpec status =
        new StatusSpec(
            null,
            baseUrl + "/generic/syncs/${requestId}",
            null,
            "/status",
            "^ready$",
            "^failed$",
            "/error/message",
            STATUS_INTERVAL,
            1.0,
            null,
            Duration.ofHours(1), null);
    ExtractSpec extract =
        new ExtractSpec(
            baseUrl + "/generic/syncs/${requestId}/data",
            null,
            FormatSpec.CSV,
            null,
            new PaginationSpec.Offset("offset", null, "limit", PAGE_SIZE, null),
            null,
            null, null);
    return PipelineSpec.newBuilder(
            PIPELINE,
            new AsyncHttpSource(auth, submit, status, extract, null, null, null, null),
            new ParquetSink(tableUri, "snapshot", "zstd", "1B", null, 10))
        .setDescription("metrics test")
        .build();
  }
}
