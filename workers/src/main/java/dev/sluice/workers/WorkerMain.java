package dev.sluice.workers;

import dev.sluice.workers.codec.AesGcmPayloadCodec;
import dev.sluice.workers.codec.PayloadEncryption;
import dev.sluice.workers.metrics.MetricsSettings;
import dev.sluice.workers.metrics.WorkerMetrics;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker process: {@code java -jar sluice.jar worker}, or this class directly. Connects to
 * {@code TEMPORAL_ADDRESS} / {@code TEMPORAL_NAMESPACE}, polls {@code SLUICE_TASK_QUEUE}, and on
 * SIGTERM drains before it exits.
 */
public final class WorkerMain {
  private static final Logger log = LoggerFactory.getLogger(WorkerMain.class);

  private WorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    WorkerSettings settings = WorkerSettings.fromEnvironment(System.getenv());
    run(settings);
  }

  /**
   * Runs a worker until the JVM is asked to stop, serving metrics as {@code SLUICE_METRICS_PORT}
   * and {@code SLUICE_METRICS_BIND} say ({@link MetricsSettings#fromEnvironment}).
   */
  public static void run(WorkerSettings settings) throws InterruptedException {
    run(settings, MetricsSettings.fromEnvironment(System.getenv()));
  }

  /**
   * Runs a worker until the JVM is asked to stop, serving Prometheus metrics as {@code
   * metricsSettings} say (docs/how-to/metrics.md).
   *
   * @throws java.io.UncheckedIOException when the metrics port cannot be bound
   */
  public static void run(WorkerSettings settings, MetricsSettings metricsSettings)
      throws InterruptedException {
    run(settings, metricsSettings, dev.sluice.workers.notify.NotifySettings.disabled());
  }

  /**
   * The worker's one line at start: where it polls, what it hosts, where its metrics are. The SDK
   * connects lazily and retries, so this says the worker is polling, not that the server answered.
   */
  static String startLine(
      WorkerSettings settings,
      MetricsSettings metrics,
      String registered,
      Optional<AesGcmPayloadCodec> codec) {
    return "worker polling "
        + settings.address()
        + " namespace '"
        + settings.namespace()
        + "' task queue '"
        + settings.taskQueue()
        + "': "
        + registered
        + "; metrics "
        + (metrics.enabled()
            ? "http://" + metrics.bind() + ":" + metrics.port() + "/metrics"
            : "off")
        + "; "
        + PayloadEncryption.describe(codec);
  }

  /**
   * As {@link #run(WorkerSettings, MetricsSettings)}, also taking file-arrival notifications for
   * the batch windows at {@code POST /notify} when {@code notify} says so
   * (docs/pipelines/batch-windows.md).
   *
   * @throws java.io.UncheckedIOException when the metrics or notify port cannot be bound
   */
  public static void run(
      WorkerSettings settings,
      MetricsSettings metricsSettings,
      dev.sluice.workers.notify.NotifySettings notify)
      throws InterruptedException {
    // SLUICE_CODEC_KEY_ID set: every payload this worker writes is encrypted
    // (docs/how-to/encryption.md). Read first: a bad key setup fails before anything is started.
    Optional<AesGcmPayloadCodec> codec = PayloadEncryption.fromEnvironment(System.getenv());
    WorkerMetrics metrics = WorkerMetrics.start(metricsSettings);
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            // TLS, mTLS and API key from TEMPORAL_TLS_* / TEMPORAL_API_KEY; address and namespace
            // from the settings (they may come from command-line flags).
            TemporalConnectionSettings.fromEnvironment(System.getenv())
                .withAddress(settings.address())
                .withNamespace(settings.namespace())
                .serviceStubsOptions()
                // The SDK's worker, client and request metrics, and Workflow.getMetricsScope().
                .setMetricsScope(metrics.temporalScope())
                .build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            service,
            PayloadEncryption.configure(
                    WorkflowClientOptions.newBuilder().setNamespace(settings.namespace()), codec)
                .build());
    SluiceWorker worker =
        SluiceWorker.start(
            client,
            settings.taskQueue(),
            ActivityLibrary.create(System::getenv, metrics.registry()),
            settings.drain(),
            settings.limits());
    dev.sluice.workers.notify.NotifyEndpoint notifications =
        notify.enabled()
            ? dev.sluice.workers.notify.NotifyEndpoint.start(
                new dev.sluice.workflows.batchwindow.WindowNotifier(
                    client, settings.taskQueue(), notify.routes()),
                new com.fasterxml.jackson.databind.ObjectMapper(),
                notify.bind(),
                notify.port())
            : null;
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  log.info("stopping: draining for up to {}", settings.drain());
                  if (notifications != null) {
                    notifications.close();
                  }
                  worker.close();
                  service.shutdown();
                  metrics.close();
                  stopped.countDown();
                },
                "sluice-worker-shutdown"));
    log.info(startLine(settings, metricsSettings, worker.registered(), codec));
    stopped.await();
  }
}
