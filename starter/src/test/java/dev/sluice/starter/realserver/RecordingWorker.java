package dev.sluice.starter.realserver;

import dev.sluice.starter.cli.CliRun;
import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.starter.schedule.RecordingProvider;
import dev.sluice.workers.codec.AesGcmPayloadCodec;
import dev.sluice.workers.codec.PayloadEncryption;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A worker in the test JVM, on a real server, running {@code AsyncIngestWorkflow} against a
 * {@link RecordingProvider}: every job is ready at the first check, and each submit's logical date
 * is recorded.
 */
final class RecordingWorker implements AutoCloseable {
  final String queue;
  final WorkflowServiceStubs service;
  final WorkflowClient client;
  final RecordingProvider provider = new RecordingProvider();
  private final WorkerFactory workers;

  RecordingWorker(TemporalDevServer server, String queue) {
    this(server, queue, Optional.empty());
  }

  /** As above, encrypting every payload with {@code codec} when present (client and worker). */
  RecordingWorker(TemporalDevServer server, String queue, Optional<AesGcmPayloadCodec> codec) {
    this.queue = queue;
    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.address()).build());
    client =
        WorkflowClient.newInstance(
            service,
            PayloadEncryption.configure(
                    WorkflowClientOptions.newBuilder().setNamespace(TemporalDevServer.NAMESPACE),
                    codec)
                .build());
    workers = WorkerFactory.newInstance(client);
    var worker = workers.newWorker(queue);
    worker.registerWorkflowImplementationTypes(AsyncIngestWorkflowImpl.class);
    worker.registerActivitiesImplementations(provider);
    workers.start();
  }

  /** The logical dates the provider was asked for by runs of {@code pipeline}, in submit order. */
  List<String> logicalDates(String pipeline) {
    List<String> dates = new ArrayList<>();
    int recorded = Math.min(provider.submitRunKeys.size(), provider.submitVars.size());
    for (int i = 0; i < recorded; i++) {
      if (provider.submitRunKeys.get(i).startsWith("ingest_" + pipeline + "_")) {
        dates.add(provider.submitVars.get(i).get("logicalDate"));
      }
    }
    return dates;
  }

  /**
   * The minimal test pipeline renamed {@code name}, in a folder of its own under {@code dir},
   * checking its job every second (the default waits 5 s before a run's first check).
   */
  static Path pipeline(Path dir, String name) throws IOException {
    Path file = CliRun.minimalPipeline(Files.createTempDirectory(dir, name));
    Files.writeString(
        file,
        Files.readString(file)
            .replace("name: minimal", "name: " + name)
            .replace("readyWhen: ^done$", "readyWhen: ^done$\n    interval: 1s\n    polling: workflow"));
    return file;
  }

  @Override
  public void close() {
    workers.shutdownNow();
    service.shutdownNow();
  }
}
