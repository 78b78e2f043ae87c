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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A provider on loopback: routes by path, records every call. */
public final class TestServer implements AutoCloseable {
  /** A request as the server saw it, and when ({@link System#nanoTime()}). */
  public record Call(
      String method,
      String path,
      String query,
      Map<String, List<String>> headers,
      String body,
      long atNanos) {
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
   * An answer. {@code declaredLength} larger than the body simulates a connection dropped mid-body;
   * {@code bytesPerSecond} above 0 sends the body that slowly (headers at once).
   */
  public record Reply(
      int status,
      Map<String, String> headers,
      byte[] body,
      long declaredLength,
      int bytesPerSecond) {

    public Reply(int status, Map<String, String> headers, byte[] body, long declaredLength) {
      this(status, headers, body, declaredLength, 0);
    }

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
      return new Reply(status, all, body, declaredLength, bytesPerSecond);
    }

    public Reply truncatedFrom(long length) {
      return new Reply(status, headers, body, length, bytesPerSecond);
    }

    /** This reply with its body sent at {@code rate} bytes per second. */
    public Reply trickled(int rate) {
      return new Reply(status, headers, body, declaredLength, rate);
    }

    /** A redirect to {@code location}. */
    public static Reply redirect(String location) {
      return new Reply(302, Map.of("Location", location), new byte[0], 0);
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
  private final AtomicInteger openBodies = new AtomicInteger();
  private final AtomicInteger brokenBodies = new AtomicInteger();

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
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8),
              System.nanoTime());
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
      openBodies.incrementAndGet();
      try (OutputStream out = exchange.getResponseBody()) {
        if (reply.bytesPerSecond() <= 0) {
          out.write(reply.body());
        } else {
          trickle(out, reply.body(), reply.bytesPerSecond());
        }
      } catch (IOException e) {
        // Rethrown: the server then closes the connection, as a provider cut off would.
        brokenBodies.incrementAndGet();
        throw e;
      } finally {
        openBodies.decrementAndGet();
      }
    }
  }

  private static void trickle(OutputStream out, byte[] body, int bytesPerSecond)
      throws IOException {
    int step = Math.max(1, bytesPerSecond / 20);
    long pause = Math.max(1, 1000L * step / bytesPerSecond);
    for (int at = 0; at < body.length; at += step) {
      if (at > 0) {
        try {
          Thread.sleep(pause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("server stopped", e);
        }
      }
      out.write(body, at, Math.min(step, body.length - at));
      out.flush();
    }
  }

  /** Bodies being sent right now. */
  public int openBodies() {
    return openBodies.get();
  }

  /** Bodies that did not go out whole: the client hung up, or the reply was truncated. */
  public int brokenBodies() {
    return brokenBodies.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
