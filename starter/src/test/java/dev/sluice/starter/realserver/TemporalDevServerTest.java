package dev.sluice.starter.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.workers.SearchAttributeRegistrar;
import dev.sluice.workflows.common.SearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The dev server as Sluice starts it: on loopback, with Sluice's search attributes ready. */
@ExtendWith(RealTemporal.class)
class TemporalDevServerTest {
  static TemporalDevServer server;
  static WorkflowServiceStubs service;
  static WorkflowClient client;

  @BeforeAll
  static void connect(TemporalDevServer shared) {
    server = shared;
    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.address()).build());
    client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
  }

  @AfterAll
  static void disconnect() {
    service.shutdownNow();
  }

  @Test
  void givenAStartedServer_whenReachedThroughANonLoopbackAddress_thenItRefuses() throws Exception {
    List<InetAddress> external =
        NetworkInterface.networkInterfaces()
            .filter(TemporalDevServerTest::isUp)
            .flatMap(NetworkInterface::inetAddresses)
            .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
            .toList();
    Assumptions.assumeFalse(external.isEmpty(), "this machine has no non-loopback address");
    try (Socket loopback = new Socket()) {
      loopback.connect(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()), 2000);
    }

    for (InetAddress address : external) {
      assertThatThrownBy(
              () -> {
                try (Socket socket = new Socket()) {
                  socket.connect(new InetSocketAddress(address, server.port()), 2000);
                }
              })
          .as("frontend reachable at %s", address)
          .isInstanceOf(IOException.class);
    }
  }

  private static boolean isUp(NetworkInterface nic) {
    try {
      return nic.isUp();
    } catch (SocketException e) {
      return false;
    }
  }

  @Test
  void givenAStartedServer_whenAsked_thenEverySluiceSearchAttributeIsRegistered() {
    assertThat(SearchAttributeRegistrar.registered(service, "default")).contains(true);
  }

  @Test
  void givenAStartedServer_whenARunStartsWithSluiceAttributes_thenVisibilityFindsItByPipeline()
      throws Exception {
    var stub =
        client.newUntypedWorkflowStub(
            "AsyncIngestWorkflow",
            WorkflowOptions.newBuilder()
                .setWorkflowId("ingest/attr-check/2026-01-01")
                .setTaskQueue("nobody-polls")
                .setWorkflowExecutionTimeout(Duration.ofMinutes(1))
                .setTypedSearchAttributes(
                    io.temporal.common.SearchAttributes.newBuilder()
                        .set(SearchAttributes.PIPELINE, "attr-check")
                        .set(SearchAttributes.KIND, SearchAttributes.KIND_ASYNC_INGEST)
                        .build())
                .build());
    stub.start();

    List<String> found = List.of();
    for (int i = 0; i < 50 && found.isEmpty(); i++) {
      found =
          client.listExecutions("SluicePipeline = 'attr-check'")
              .map(e -> e.getExecution().getWorkflowId())
              .toList();
      Thread.sleep(100);
    }
    stub.terminate("test over");

    assertThat(found).containsExactly("ingest/attr-check/2026-01-01");
  }
}
