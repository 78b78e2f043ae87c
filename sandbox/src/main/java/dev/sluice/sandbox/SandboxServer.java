package dev.sluice.sandbox;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.sandbox.files.FileShareEmulator;
import dev.sluice.sandbox.platform.PlatformCredentials;
import dev.sluice.sandbox.platform.PlatformEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandbox HTTP server on 127.0.0.1: the Salesforce emulation under {@code /services/}, the
 * generic export API under {@code /generic/}, Adobe Experience Platform under {@code
 * /data/foundation/} and {@code /ims/}, and their knobs and stats under {@code /sandbox/}.
 *
 * <pre>{@code
 * try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults())) {
 *   sandbox.salesforce().throttle("results", 1, 429, 1);
 *   // point a client at sandbox.baseUrl()
 * }
 * }</pre>
 */
public final class SandboxServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SandboxServer.class);
  private static final String LOOPBACK = "127.0.0.1";
  // Enough for many concurrent jobs' status polls and page downloads (pages are streamed).
  private static final int HANDLER_THREADS = 16;

  private final HttpServer server;
  private final ExecutorService handlers;
  private final SalesforceEmulator salesforce;
  private final GenericExportEmulator generic;
  private final PlatformEmulator platform;
  // Standalone (no constructor argument): its contexts are added once the instance exists.
  private final FileShareEmulator files = FileShareEmulator.defaults();

  private SandboxServer(
      HttpServer server,
      ExecutorService handlers,
      SalesforceEmulator salesforce,
      GenericExportEmulator generic,
      PlatformEmulator platform) {
    this.server = server;
    this.handlers = handlers;
    this.salesforce = salesforce;
    this.generic = generic;
    this.platform = platform;
  }

  /**
   * Binds {@code config.bindAddress()} (127.0.0.1 by default) on {@code config.port()}, 0 for a
   * free port, and starts serving.
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static SandboxServer start(SandboxConfig config) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(config.bindAddress(), config.port()), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot bind " + config.bindAddress() + ":" + config.port(), e);
    }
    String baseUrl = "http://" + LOOPBACK + ":" + server.getAddress().getPort();
    SalesforceEmulator salesforce = new SalesforceEmulator(config, baseUrl, Clock.systemUTC());
    GenericExportEmulator generic = new GenericExportEmulator(config, baseUrl);
    Router salesforceRoutes = salesforce.router();
    server.createContext("/services/", salesforceRoutes);
    server.createContext("/sandbox/salesforce/", salesforceRoutes);
    Router genericRoutes = generic.router();
    server.createContext("/generic/", genericRoutes);
    server.createContext("/sandbox/generic/", genericRoutes);
    PlatformEmulator platform = new PlatformEmulator(baseUrl, PlatformCredentials.defaults());
    PlatformEmulator.PATH_PREFIXES.forEach(
        prefix -> server.createContext(prefix, platform.handler()));
    ExecutorService handlers = Executors.newFixedThreadPool(HANDLER_THREADS, daemonThreads());
    server.setExecutor(handlers);
    server.start();
    log.info("Sandbox listening on {}", baseUrl);
    SandboxServer sandbox = new SandboxServer(server, handlers, salesforce, generic, platform);
    FileShareEmulator.PATH_PREFIXES.forEach(
        prefix -> server.createContext(prefix, sandbox.files.handler()));
    return sandbox;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port>}, also the {@code instance_url} of issued tokens. */
  public String baseUrl() {
    return "http://" + LOOPBACK + ":" + port();
  }

  /** Knobs and stats of the Salesforce emulation. */
  public SalesforceEmulator salesforce() {
    return salesforce;
  }

  /** Knobs and stats of the generic export API. */
  public GenericExportEmulator generic() {
    return generic;
  }

  /** Knobs and stats of the Experience Platform emulation. */
  public PlatformEmulator platform() {
    return platform;
  }

  /** Knobs and stats of the file share (listing endpoint and files, under {@code /files/}). */
  public FileShareEmulator files() {
    return files;
  }

  /** Stops serving at once; requests in flight are cut off. */
  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow();
    log.info("Sandbox on port {} stopped", server.getAddress().getPort());
  }

  // Daemon threads: a test that forgets close() must not keep the JVM alive.
  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "sandbox-http-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
