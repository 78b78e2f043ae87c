package dev.sluice.starter.realserver;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workers.SluiceWorker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import java.util.Map;

/**
 * A Sluice worker in the test JVM whose providers are the sandbox's, as {@code sluice dev} runs
 * it, and a client for the real server it polls.
 */
final class SandboxWorker {
  private SandboxWorker() {}

  /** Service stubs for the server at {@code address}. */
  static WorkflowServiceStubs service(String address) {
    return WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
  }

  /** A client of the dev server's namespace. */
  static WorkflowClient client(WorkflowServiceStubs service) {
    return WorkflowClient.newInstance(
        service,
        WorkflowClientOptions.newBuilder().setNamespace(TemporalDevServer.NAMESPACE).build());
  }

  /** Every Sluice workflow and activity, polling {@code queue}, its SF_* the sandbox's. */
  static SluiceWorker start(
      WorkflowClient client, String queue, SandboxServer sandbox, SandboxConfig config) {
    Map<String, String> env = DevEnvironment.sandboxEnvironment(sandbox, config);
    return SluiceWorker.start(
        client,
        queue,
        ActivityLibrary.create(
            name -> env.getOrDefault(name, System.getenv(name)), new SimpleMeterRegistry()),
        Duration.ofSeconds(5));
  }
}
