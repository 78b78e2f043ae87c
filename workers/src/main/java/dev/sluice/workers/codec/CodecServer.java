package dev.sluice.workers.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Temporal codec server: lets the Web UI and {@code temporal} CLI show encrypted payloads
 * decrypted, without the keys leaving this process.
 *
 * <p>Protocol (the one Temporal's own codec servers speak): {@code POST <any prefix>/decode} and
 * {@code POST <any prefix>/encode} with a body {@code {"payloads":[{"metadata":{"k":"base64"},
 * "data":"base64"}]}} (the proto JSON of {@link Payloads}), answered in the same shape; the
 * namespace comes in the {@code X-Namespace} header. Browsers get CORS headers for the configured
 * origins only, with credentials allowed; a preflight {@code OPTIONS} needs no token. When a token
 * is configured, every {@code POST} must carry {@code Authorization: Bearer <token>}.
 *
 * <p>Status codes: 200; 400 malformed body or a payload that cannot be decoded (the message names
 * the key ID); 401 missing or wrong token; 403 origin or namespace not allowed; 404 unknown path;
 * 405 not POST; 413 body over {@value #MAX_BODY_BYTES} bytes.
 */
public final class CodecServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CodecServer.class);

  /**
   * Largest request body accepted: a page of history payloads, with room; bounds memory per
   * request.
   */
  public static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  static final String ALLOWED_HEADERS = "Content-Type, X-Namespace, Authorization";
  static final String ALLOWED_METHODS = "POST, OPTIONS";

  /**
   * How the server is reached and who may use it.
   *
   * @param bind address and port to listen on (port 0: any free one)
   * @param corsOrigins browser origins allowed to call it, e.g. {@code http://127.0.0.1:8080}
   *     (exact match; {@code *} is refused because credentials are allowed)
   * @param authToken when present, the bearer token every POST must carry
   * @param namespaces namespaces served ({@code X-Namespace}); empty: any
   */
  public record Settings(
      InetSocketAddress bind,
      Set<String> corsOrigins,
      Optional<String> authToken,
      Set<String> namespaces) {
    public Settings {
      corsOrigins = Set.copyOf(corsOrigins);
      namespaces = Set.copyOf(namespaces);
      if (corsOrigins.contains("*")) {
        throw new IllegalArgumentException(
            "CORS origin '*' cannot be combined with credentials; name the Web UI's origin, e.g."
                + " http://127.0.0.1:8080");
      }
      if (authToken.isPresent() && authToken.get().isBlank()) {
        throw new IllegalArgumentException("the codec server's auth token is blank");
      }
    }

    /** Whether the listening address is reachable only from this machine. */
    public boolean loopbackOnly() {
      return bind.getAddress() != null && bind.getAddress().isLoopbackAddress();
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private CodecServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /**
   * Starts serving.
   *
   * @throws UncheckedIOException when the address cannot be bound (port taken, address not local)
   */
  public static CodecServer start(PayloadCodec codec, Settings settings) {
    HttpServer server;
    try {
      server = HttpServer.create(settings.bind(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on "
              + settings.bind().getHostString()
              + ":"
              + settings.bind().getPort()
              + ": "
              + e.getMessage(),
          e);
    }
    AtomicInteger threads = new AtomicInteger();
    // Decryption is CPU-bound and the UI sends a handful of requests per page: two threads suffice.
    ExecutorService executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "sluice-codec-server-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", new Handler(codec, settings)::handle);
    server.start();
    return new CodecServer(server, executor);
  }

  /** The port listened on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://host:port}, the endpoint to configure in the Web UI. */
  public String baseUrl() {
    return "http://" + server.getAddress().getHostString() + ":" + port();
  }

  /** Stops listening and drops requests in flight (the UI retries; nothing is lost). */
  @Override
  public void close() {
    // stop(n) waits the whole n seconds while a browser holds an idle keep-alive connection.
    server.stop(0);
    executor.shutdownNow();
  }

  private record Handler(PayloadCodec codec, Settings settings) {
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER =
        JsonFormat.printer().omittingInsignificantWhitespace();

    void handle(HttpExchange exchange) throws IOException {
      try {
        serve(exchange);
      } catch (RuntimeException e) {
        log.warn(
            "codec server: {} {} failed",
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            e);
        if (exchange.getResponseCode() == -1) {
          text(exchange, 500, "codec server error; see its log");
        }
      } finally {
        exchange.close();
      }
    }

    private void serve(HttpExchange exchange) throws IOException {
      Headers in = exchange.getRequestHeaders();
      Headers out = exchange.getResponseHeaders();
      String origin = in.getFirst("Origin");
      if (origin != null) {
        if (!settings.corsOrigins().contains(origin)) {
          // No CORS headers: the browser blocks the response; we also refuse the work.
          text(
              exchange,
              403,
              "origin "
                  + origin
                  + " is not allowed (start the codec server with --cors-origin "
                  + origin
                  + ")");
          return;
        }
        out.set("Access-Control-Allow-Origin", origin);
        out.set("Access-Control-Allow-Credentials", "true");
        out.set("Vary", "Origin");
      }
      String path = exchange.getRequestURI().getPath();
      boolean encode = path.endsWith("/encode");
      if (!encode && !path.endsWith("/decode")) {
        text(exchange, 404, "not found: POST .../encode or .../decode");
        return;
      }
      String method = exchange.getRequestMethod();
      if (method.equals("OPTIONS")) {
        // Preflight: browsers never send credentials here, so it is answered before the token
        // check.
        out.set("Access-Control-Allow-Methods", ALLOWED_METHODS);
        out.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        out.set("Access-Control-Max-Age", "600");
        exchange.sendResponseHeaders(204, -1);
        return;
      }
      if (!method.equals("POST")) {
        out.set("Allow", ALLOWED_METHODS);
        text(exchange, 405, "method " + method + " not allowed: POST");
        return;
      }
      if (settings.authToken().isPresent()
          && !authorized(in.getFirst("Authorization"), settings.authToken().get())) {
        out.set("WWW-Authenticate", "Bearer realm=\"sluice-codec\"");
        text(exchange, 401, "missing or wrong bearer token");
        return;
      }
      String namespace = in.getFirst("X-Namespace");
      if (!settings.namespaces().isEmpty()
          && (namespace == null || !settings.namespaces().contains(namespace))) {
        text(exchange, 403, "namespace '" + namespace + "' is not served by this codec server");
        return;
      }
      byte[] body = readBody(exchange.getRequestBody());
      if (body == null) {
        text(exchange, 413, "request body over " + MAX_BODY_BYTES + " bytes");
        return;
      }
      Payloads.Builder request = Payloads.newBuilder();
      try {
        PARSER.merge(new String(body, StandardCharsets.UTF_8), request);
      } catch (InvalidProtocolBufferException e) {
        text(exchange, 400, "body is not {\"payloads\":[...]} JSON: " + e.getMessage());
        return;
      }
      List<Payload> result;
      try {
        result =
            encode
                ? codec.encode(request.getPayloadsList())
                : codec.decode(request.getPayloadsList());
      } catch (PayloadCodecException e) {
        log.info(
            "codec server: {} for namespace '{}' refused: {}",
            encode ? "encode" : "decode",
            namespace,
            e.getMessage());
        text(exchange, 400, e.getMessage());
        return;
      }
      byte[] json =
          PRINTER
              .print(Payloads.newBuilder().addAllPayloads(result))
              .getBytes(StandardCharsets.UTF_8);
      out.set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, json.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(json);
      }
    }

    /**
     * Constant-time comparison, so response timing does not reveal how much of a guess was right.
     */
    private static boolean authorized(String header, String token) {
      if (header == null) {
        return false;
      }
      byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
      return MessageDigest.isEqual(expected, header.trim().getBytes(StandardCharsets.UTF_8));
    }

    /** The body, or null when it exceeds {@link #MAX_BODY_BYTES}. */
    private static byte[] readBody(InputStream in) throws IOException {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      return body.length > MAX_BODY_BYTES ? null : body;
    }

    private static void text(HttpExchange exchange, int status, String message) throws IOException {
      byte[] bytes = (message + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(bytes);
      }
    }
  }
}
