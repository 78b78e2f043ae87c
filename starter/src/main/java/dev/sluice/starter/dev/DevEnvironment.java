package dev.sluice.starter.dev;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workers.SluiceWorker;
import dev.sluice.workers.codec.AesGcmPayloadCodec;
import dev.sluice.workers.codec.PayloadEncryption;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a pipeline needs on one machine, all on 127.0.0.1: a local Temporal server (the
 * Temporal CLI's dev server or the embedded test server, see {@link LocalTemporal}), the sandbox
 * providers, and a worker whose secret references resolve to the sandbox's credentials
 * (falling back to the real environment for anything else).
 */
public final class DevEnvironment implements AutoCloseable {
  public static final String NAMESPACE = "default";

  private final LocalTemporal temporal;
  private final SandboxServer sandbox;
  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final SluiceWorker worker;

  private DevEnvironment(
      LocalTemporal temporal,
      SandboxServer sandbox,
      WorkflowServiceStubs service,
      WorkflowClient client,
      SluiceWorker worker) {
    this.temporal = temporal;
    this.sandbox = sandbox;
    this.service = service;
    this.client = client;
    this.worker = worker;
  }

  /**
   * Starts the embedded server, the sandbox and a worker on {@code taskQueue}.
   *
   * @param temporalPort loopback port of the Temporal server (0: any free port)
   * @param sandbox sandbox settings (its port: 0 for any free one)
   * @throws IllegalArgumentException when {@code SLUICE_CODEC_KEY_ID} is set but the codec keys are
   *     missing or malformed (nothing is started then)
   */
  public static DevEnvironment start(int temporalPort, SandboxConfig sandbox, String taskQueue) {
    // Read before the server starts, so a bad key setup starts nothing.
    PayloadEncryption.fromEnvironment(System.getenv());
    return start(EmbeddedTemporal.start(temporalPort), sandbox, taskQueue);
  }

  /**
   * Starts the sandbox and a worker on {@code taskQueue} beside {@code temporal}, which the
   * environment then owns: closing it stops the server too, and so does a failure to start.
   *
   * @throws IllegalArgumentException when {@code SLUICE_CODEC_KEY_ID} is set but the codec keys are
   *     missing or malformed
   */
  public static DevEnvironment start(
      LocalTemporal temporal, SandboxConfig sandbox, String taskQueue) {
    SandboxServer providers = null;
    try {
      // Same switch as a real worker (SLUICE_CODEC_KEY_ID); the worker and the client below share
      // the codec.
      Optional<AesGcmPayloadCodec> codec = PayloadEncryption.fromEnvironment(System.getenv());
      providers = SandboxServer.start(sandbox);
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      WorkflowClient client =
          WorkflowClient.newInstance(
              service,
              PayloadEncryption.configure(
                      WorkflowClientOptions.newBuilder().setNamespace(NAMESPACE), codec)
                  .build());
      Map<String, String> overlay = sandboxEnvironment(providers, sandbox);
      ActivityLibrary activities =
          ActivityLibrary.create(
              name -> overlay.containsKey(name) ? overlay.get(name) : System.getenv(name),
              new SimpleMeterRegistry());
      SluiceWorker worker =
          SluiceWorker.start(client, taskQueue, activities, Duration.ofSeconds(5));
      return new DevEnvironment(temporal, providers, service, client, worker);
    } catch (RuntimeException e) {
      if (providers != null) {
        providers.close();
      }
      temporal.close();
      throw e;
    }
  }

  /** The variables the example pipelines reference, pointing at this sandbox. */
  public static Map<String, String> sandboxEnvironment(
      SandboxServer sandbox, SandboxConfig config) {
    return dev.sluice.sandbox.SandboxMain.exports(sandbox, config);
  }

  public WorkflowClient client() {
    return client;
  }

  public SandboxServer sandbox() {
    return sandbox;
  }

  public LocalTemporal temporal() {
    return temporal;
  }

  @Override
  public void close() {
    worker.close();
    service.shutdown();
    sandbox.close();
    temporal.close();
  }
}
