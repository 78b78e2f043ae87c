package dev.sluice.workers.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sluice.workflows.batchwindow.WindowNotifier;
import dev.sluice.workflows.batchwindow.WindowNotifier.Notified;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /notify} with {@code {"uri": "..."}} over the JDK's HTTP server: the file-arrival
 * notification of the batch windows, for storage events and scripts that cannot run {@code sluice
 * notify}. Answers {@code 202} with the route and window workflow signalled, {@code 404} when no
 * route takes the file, {@code 400} for a body without a {@code uri}, {@code 503} when Temporal
 * cannot be reached (the sender should retry). Other paths are 404, other methods 405.
 */
public final class NotifyEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotifyEndpoint.class);

  /** A notification is a URI: anything much larger is not one. */
  private static final int MAX_BODY_BYTES = 64 * 1024;

  private final HttpServer server;
  private final ExecutorService executor;

  private NotifyEndpoint(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving on {@code bind}:{@code port} (port 0 here: any free one).
   *
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static NotifyEndpoint start(
      WindowNotifier notifier, ObjectMapper json, String bind, int port) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(bind, port), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot take notifications on "
              + bind
              + ":"
              + port
              + " ("
              + e.getMessage()
              + "): set --notify-port to a free port",
          e);
    }
    // Two threads: a signal-with-start is one round trip to Temporal; bursts queue briefly.
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "sluice-notify-endpoint");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", exchange -> handle(notifier, json, exchange));
    server.start();
    log.info(
        "taking file notifications at http://{}:{}/notify", bind, server.getAddress().getPort());
    return new NotifyEndpoint(server, executor);
  }

  private static void handle(WindowNotifier notifier, ObjectMapper json, HttpExchange exchange)
      throws IOException {
    try (exchange) {
      if (!"/notify".equals(exchange.getRequestURI().getPath())) {
        send(exchange, json, 404, error(json, "not found: notifications go to POST /notify"));
        return;
      }
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "POST");
        send(exchange, json, 405, error(json, "use POST with {\"uri\": \"...\"}"));
        return;
      }
      String uri = uriOf(json, exchange.getRequestBody());
      if (uri == null) {
        send(exchange, json, 400, error(json, "the body must be JSON {\"uri\": \"...\"}"));
        return;
      }
      Optional<Notified> notified;
      try {
        notified = notifier.notify(uri);
      } catch (StatusRuntimeException e) {
        log.warn("notification of {} not delivered: {}", uri, e.getMessage());
        send(exchange, json, 503, error(json, "Temporal answered: " + e.getMessage()));
        return;
      }
      if (notified.isEmpty()) {
        send(exchange, json, 404, error(json, "no route takes " + uri));
        return;
      }
      send(exchange, json, 202, json.valueToTree(notified.get()));
    }
  }

  private static String uriOf(ObjectMapper json, InputStream body) {
    try {
      byte[] bytes = body.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        return null;
      }
      JsonNode uri = json.readTree(bytes).path("uri");
      return uri.isTextual() && !uri.textValue().isBlank() ? uri.textValue() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static ObjectNode error(ObjectMapper json, String message) {
    return json.createObjectNode().put("error", message);
  }

  private static void send(HttpExchange exchange, ObjectMapper json, int status, JsonNode body)
      throws IOException {
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The address actually bound (with the real port when 0 was asked for). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
