package dev.sluice.workers.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code GET /metrics} over the JDK's HTTP server: the registry's scrape, in OpenMetrics when the
 * scraper asks for it ({@code Accept: application/openmetrics-text}, as Prometheus does) and in the
 * Prometheus text format 0.0.4 otherwise. Anything else is 404, other methods 405.
 */
final class MetricsEndpoint implements AutoCloseable {
  /**
   * The two formats' content types, as the Prometheus client's writers declare them (they are on
   * the runtime classpath only, so the constants are repeated here); {@code scrape(contentType)}
   * picks its writer by them.
   */
  static final String OPEN_METRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving {@code registry} on {@code address} (port 0: any free one).
   *
   * @throws UncheckedIOException when the address cannot be bound (e.g. the port is taken)
   */
  static MetricsEndpoint start(PrometheusMeterRegistry registry, InetSocketAddress address) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve metrics on "
              + address.getHostString()
              + ":"
              + address.getPort()
              + " ("
              + e.getMessage()
              + "): set SLUICE_METRICS_PORT / --metrics-port to a free port, or 0 to turn the"
              + " endpoint off",
          e);
    }
    // One thread: scrapes are rare and cheap, and must not compete with activities for CPU.
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "sluice-metrics-endpoint");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", exchange -> handle(registry, exchange));
    server.start();
    return new MetricsEndpoint(server, executor);
  }

  private static void handle(PrometheusMeterRegistry registry, HttpExchange exchange)
      throws IOException {
    try (exchange) {
      if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
        send(
            exchange,
            404,
            "text/plain; charset=utf-8",
            "not found: metrics are at /metrics\n",
            true);
        return;
      }
      String method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "use GET\n", true);
        return;
      }
      String accept = exchange.getRequestHeaders().getFirst("Accept");
      String contentType =
          accept != null && accept.contains("application/openmetrics-text")
              ? OPEN_METRICS
              : TEXT_FORMAT;
      send(exchange, 200, contentType, registry.scrape(contentType), !"HEAD".equals(method));
    }
  }

  private static void send(
      HttpExchange exchange, int status, String contentType, String body, boolean withBody)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, withBody ? bytes.length : -1);
    if (withBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** The address actually bound (with the real port when 0 was asked for). */
  InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
