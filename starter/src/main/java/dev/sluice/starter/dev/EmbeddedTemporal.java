package dev.sluice.starter.dev;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test server, served on a loopback-only gRPC port.
 *
 * <p>{@code TestServer.createPortBoundServer} binds every interface; a development server must not
 * be reachable from the network, so we host the same services on a Netty server bound to 127.0.0.1.
 * Time runs normally (time skipping is locked). The test server implements workflows, activities,
 * timers, signals and queries, but not Schedules, visibility listing or the Web UI's APIs: use
 * {@code docker-compose.yml} for those.
 */
public final class EmbeddedTemporal implements LocalTemporal {
  private final TestServicesStarter services;
  private final Server server;

  private EmbeddedTemporal(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  /**
   * Starts the server.
   *
   * @param port loopback port, or 0 for any free one
   * @throws UncheckedIOException when the port is taken
   */
  public static EmbeddedTemporal start(int port) {
    // lockTimeSkipping = true: a dev server runs on wall-clock time.
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder =
        NettyServerBuilder.forAddress(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build();
    try {
      server.start();
    } catch (IOException e) {
      services.close();
      throw new UncheckedIOException(
          "cannot start the embedded Temporal server on 127.0.0.1:" + port + ": " + e.getMessage(),
          e);
    }
    return new EmbeddedTemporal(services, server);
  }

  /** The port the server listens on. */
  @Override
  public int port() {
    return server.getPort();
  }

  /** None: the test server does not serve the Web UI's APIs. */
  @Override
  public java.util.Optional<String> webUi() {
    return java.util.Optional.empty();
  }

  @Override
  public String description() {
    return "embedded Temporal (Java test server: no Schedules, no visibility queries, no Web UI)";
  }

  @Override
  public void close() {
    server.shutdown();
    Processes.awaitQuietly(() -> server.awaitTermination(5, TimeUnit.SECONDS));
    server.shutdownNow();
    services.close();
  }
}
