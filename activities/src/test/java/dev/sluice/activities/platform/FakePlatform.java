package dev.sluice.activities.platform;

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

/** A platform on loopback: routes by method and path, records every call with its raw body. */
final class FakePlatform implements AutoCloseable {
  record Call(
      String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  record Reply(int status, Map<String, String> headers, byte[] body) {
    static Reply json(int status, String body) {
      return new Reply(
          status,
          Map.of("Content-Type", "application/json"),
          body.getBytes(StandardCharsets.UTF_8));
    }

    static Reply bytes(byte[] body) {
      return new Reply(200, Map.of("Content-Type", "application/octet-stream"), body);
    }

    Reply withHeader(String name, String value) {
      Map<String, String> all = new java.util.HashMap<>(headers);
      all.put(name, value);
      return new Reply(status, all, body);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Function<Call, Reply>> routes = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  FakePlatform() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Answers {@code method path} with {@code handler}. */
  FakePlatform route(String method, String path, Function<Call, Reply> handler) {
    routes.put(method + " " + path, handler);
    return this;
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  List<Call> calls(String method, String path) {
    return calls.stream().filter(c -> c.method().equals(method) && c.path().equals(path)).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Call call =
          new Call(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getPath(),
              exchange.getRequestURI().getRawQuery(),
              Map.copyOf(exchange.getRequestHeaders()),
              exchange.getRequestBody().readAllBytes());
      calls.add(call);
      Function<Call, Reply> handler = routes.get(call.method() + " " + call.path());
      Reply reply =
          handler == null
              ? Reply.json(404, "{\"title\":\"no route " + call.path() + "\"}")
              : handler.apply(call);
      reply.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      exchange.sendResponseHeaders(
          reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
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
