package dev.sluice.activities.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A provider on loopback: routes by path, records every call. */
public final class TestServer implements AutoCloseable {
  /** A request as the server saw it. */
  public record Call(
      String method, String path, String query, Map<String, List<String>> headers, String body) {
    /** The first value of a header, or null. */
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  /**
   * An answer. {@code declaredLength} larger than the body simulates a connection dropped mid-body.
   */
  public record Reply(int status, Map<String, String> headers, byte[] body, long declaredLength) {
    public static Reply of(int status, String contentType, String body) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      return new Reply(status, Map.of("Content-Type", contentType), bytes, bytes.length);
    }

    public static Reply json(int status, String body) {
      return of(status, "application/json", body);
    }

    public Reply withHeader(String name, String value) {
      Map<String, String> all = new java.util.HashMap<>(headers);
      all.put(name, value);
      return new Reply(status, all, body, declaredLength);
    }

    public Reply truncatedFrom(long length) {
      return new Reply(status, headers, body, length);
    }

    /**
     * No answer at all: the request is read (the provider acted on it), then the connection closes
     * before the status line.
     */
    public static Reply hangUp() {
      return HANG_UP;
    }
  }

  private static final Reply HANG_UP = new Reply(0, Map.of(), new byte[0], 0);

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Function<Call, Reply>> routes = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  public TestServer() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Answers requests to {@code path} with {@code handler}. */
  public TestServer route(String path, Function<Call, Reply> handler) {
    routes.put(path, handler);
    return this;
  }

  /** The absolute URL of {@code pathAndQuery}. */
  public String url(String pathAndQuery) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
  }

  /** Calls to {@code path}, in order. */
  public List<Call> calls(String path) {
    return calls.stream().filter(c -> c.path().equals(path)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Call call =
          new Call(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestURI().getRawQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      calls.add(call);
      Function<Call, Reply> handler = routes.get(call.path());
      Reply reply =
          handler == null
              ? Reply.of(404, "text/plain", "no route " + call.path())
              : handler.apply(call);
      if (reply == HANG_UP) {
        // Closing an exchange before its response headers closes the connection.
        return;
      }
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(
          reply.status(), reply.declaredLength() == 0 ? -1 : reply.declaredLength());
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(reply.body());
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
