package dev.sluice.sandbox;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.sandbox.files.FileShareEmulator;
import dev.sluice.sandbox.iceberg.IcebergRestCatalog;
import dev.sluice.sandbox.platform.PlatformCredentials;
import dev.sluice.sandbox.platform.PlatformEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
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
 * /data/foundation/} and {@code /ims/}, Amazon SP-API Reports under {@code /reports/} and {@code
 * /auth/o2/} (its documents on a second listener, the "S3 host"), the Snowflake SQL API under
 * {@code /api/v2/}, Meta Ads Insights under {@code /graph/}, an Iceberg REST catalog under {@code
 * /iceberg/}, and their knobs and stats under {@code /sandbox/}.
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
  // A second host, as S3 is to the Selling Partner API: report documents are downloaded from it.
  private final HttpServer s3Server;
  private final ExecutorService handlers;
  private final SalesforceEmulator salesforce;
  private final GenericExportEmulator generic;
  private final PlatformEmulator platform;
  private final SpApiEmulator spApi;
  private final SnowflakeEmulator snowflake;
  private final MetaInsightsEmulator meta;
  // Standalone (no constructor argument): its contexts are added once the instance exists.
  private final FileShareEmulator files = FileShareEmulator.defaults();
  private final IcebergRestCatalog iceberg;

  private SandboxServer(
      HttpServer server,
      HttpServer s3Server,
      ExecutorService handlers,
      SalesforceEmulator salesforce,
      GenericExportEmulator generic,
      PlatformEmulator platform,
      SpApiEmulator spApi,
      SnowflakeEmulator snowflake,
      MetaInsightsEmulator meta,
      IcebergRestCatalog iceberg) {
    this.server = server;
    this.s3Server = s3Server;
    this.handlers = handlers;
    this.salesforce = salesforce;
    this.generic = generic;
    this.platform = platform;
    this.spApi = spApi;
    this.snowflake = snowflake;
    this.meta = meta;
    this.iceberg = iceberg;
  }

  /**
   * Binds {@code config.bindAddress()} (127.0.0.1 by default) on {@code config.port()}, 0 for a
   * free port, and starts serving.
   *
   * @throws UncheckedIOException if the port cannot be bound
   */
  public static SandboxServer start(SandboxConfig config) {
    HttpServer server = bind(config.bindAddress(), config.port());
    // Any free port: nothing is configured with it, the API hands out URLs that name it.
    HttpServer s3Server;
    try {
      s3Server = bind(config.bindAddress(), 0);
    } catch (UncheckedIOException e) {
      server.stop(0);
      throw e;
    }
    String baseUrl = "http://" + LOOPBACK + ":" + server.getAddress().getPort();
    String s3Url = "http://" + LOOPBACK + ":" + s3Server.getAddress().getPort();
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
    SpApiEmulator spApi = new SpApiEmulator(config.seed(), s3Url, Clock.systemUTC());
    Router spApiRoutes = spApi.router();
    SpApiEmulator.PATH_PREFIXES.forEach(prefix -> server.createContext(prefix, spApiRoutes));
    s3Server.createContext("/", spApi.s3Router());
    SnowflakeEmulator snowflake = new SnowflakeEmulator(config.seed(), Clock.systemUTC());
    Router snowflakeRoutes = snowflake.router();
    SnowflakeEmulator.PATH_PREFIXES.forEach(
        prefix -> server.createContext(prefix, snowflakeRoutes));
    MetaInsightsEmulator meta = new MetaInsightsEmulator(config.seed(), baseUrl, Clock.systemUTC());
    Router metaRoutes = meta.router();
    MetaInsightsEmulator.PATH_PREFIXES.forEach(prefix -> server.createContext(prefix, metaRoutes));
    IcebergRestCatalog iceberg =
        new IcebergRestCatalog(
            baseUrl, config.icebergWarehouse() == null ? null : Path.of(config.icebergWarehouse()));
    IcebergRestCatalog.PATH_PREFIXES.forEach(
        prefix -> server.createContext(prefix, iceberg.handler()));
    ExecutorService handlers = Executors.newFixedThreadPool(HANDLER_THREADS, daemonThreads());
    server.setExecutor(handlers);
    s3Server.setExecutor(handlers);
    server.start();
    s3Server.start();
    log.info("Sandbox listening on {} (S3 host {})", baseUrl, s3Url);
    SandboxServer sandbox =
        new SandboxServer(
            server, s3Server, handlers, salesforce, generic, platform, spApi, snowflake, meta,
            iceberg);
    FileShareEmulator.PATH_PREFIXES.forEach(
        prefix -> server.createContext(prefix, sandbox.files.handler()));
    return sandbox;
  }

  private static HttpServer bind(String address, int port) {
    try {
      return HttpServer.create(new InetSocketAddress(address, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind " + address + ":" + port, e);
    }
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

  /** {@code http://127.0.0.1:<port>} of the S3 host that serves SP-API report documents. */
  public String s3BaseUrl() {
    return "http://" + LOOPBACK + ":" + s3Server.getAddress().getPort();
  }

  /** Knobs and stats of the Selling Partner API Reports emulation and its S3 host. */
  public SpApiEmulator spApi() {
    return spApi;
  }

  /** Knobs and stats of the Snowflake SQL API emulation. */
  public SnowflakeEmulator snowflake() {
    return snowflake;
  }

  /** Knobs and stats of the Meta Ads Insights (async report runs) emulation. */
  public MetaInsightsEmulator meta() {
    return meta;
  }

  /** The Iceberg REST catalog: its {@code uri}, warehouse and knobs. */
  public IcebergRestCatalog iceberg() {
    return iceberg;
  }

  /** Stops serving at once; requests in flight are cut off. */
  @Override
  public void close() {
    server.stop(0);
    s3Server.stop(0);
    handlers.shutdownNow();
    iceberg.close();
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
