package dev.sluice.sandbox;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches exchanges to endpoints by method and path pattern, injects the faults queued for the
 * route's kind, and writes the response (gzip-encoded when the client accepts it).
 */
final class Router implements HttpHandler {

  /** Handles one request; may throw {@link HttpFailure} to answer with an error. */
  @FunctionalInterface
  interface Endpoint {
    Response handle(Request request);
  }

  /** Builds the provider's error response for a throttled request of a kind. */
  @FunctionalInterface
  interface ThrottleResponses {
    Response forStatus(String kind, int status);
  }

  private record Route(String method, Pattern path, String faultKind, Endpoint endpoint) {}

  private static final Logger log = LoggerFactory.getLogger(Router.class);
  private static final String GZIP_FILE = "application/gzip";

  /**
   * A header an endpoint sets (never sent) to have only this many bytes of its body go out before
   * the connection is cut, as {@link FaultPlan.Drop} does with half of it.
   */
  static final String CUT_AFTER = "X-Sandbox-Cut-After";

  private final List<Route> routes = new ArrayList<>();
  private final FaultPlan faults;
  private final Traffic traffic;
  private final ThrottleResponses throttleResponses;
  private final Function<String, Response> notFound;

  /**
   * @param notFound builds the provider's 404 body from a message
   */
  Router(
      FaultPlan faults,
      Traffic traffic,
      ThrottleResponses throttleResponses,
      Function<String, Response> notFound) {
    this.faults = faults;
    this.traffic = traffic;
    this.throttleResponses = throttleResponses;
    this.notFound = notFound;
  }

  /** Adds a route that no fault applies to (aborts, deletes, control endpoints). */
  Router route(String method, String pathRegex, Endpoint endpoint) {
    return route(method, pathRegex, null, endpoint);
  }

  /** Adds a route whose requests consume the faults queued for {@code faultKind}. */
  Router route(String method, String pathRegex, String faultKind, Endpoint endpoint) {
    routes.add(new Route(method, Pattern.compile(pathRegex), faultKind, endpoint));
    return this;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String kind = null;
    try {
      String path = exchange.getRequestURI().getPath();
      List<Route> onPath = routes.stream().filter(r -> r.path().matcher(path).matches()).toList();
      Optional<Route> route =
          onPath.stream().filter(r -> r.method().equals(exchange.getRequestMethod())).findFirst();
      if (route.isEmpty()) {
        write(
            exchange,
            onPath.isEmpty() ? notFound.apply("no resource at " + path) : notAllowed(onPath),
            false);
        return;
      }
      kind = route.get().faultKind();
      if (kind != null) {
        traffic.request(kind);
        traffic.started(kind);
      }
      Optional<FaultPlan.Fault> fault = kind == null ? Optional.empty() : faults.next(kind);
      if (fault.orElse(null) instanceof FaultPlan.Throttle throttle) {
        log.debug("Throttling {} {} with {}", exchange.getRequestMethod(), path, throttle.status());
        traffic.announcedRetryAfter(kind, throttle.retryAfterSeconds());
        write(
            exchange,
            throttleResponses
                .forStatus(kind, throttle.status())
                .withHeader("Retry-After", Integer.toString(throttle.retryAfterSeconds())),
            false);
        return;
      }
      Response response = serve(route.get(), exchange, path);
      if (fault.orElse(null) instanceof FaultPlan.LoseAnswer) {
        // Served, and nothing sent: closing an exchange before its response headers closes the
        // connection (below), so the client reads end-of-stream where the status line should be.
        log.debug("Losing the answer to {} {}", exchange.getRequestMethod(), path);
        return;
      }
      if (fault.orElse(null) instanceof FaultPlan.Trickle trickle) {
        trickle(exchange, response, trickle.bytesPerSecond());
        return;
      }
      traffic.responseStarted();
      try {
        write(exchange, response, fault.orElse(null) instanceof FaultPlan.Drop);
      } finally {
        traffic.responseEnded();
      }
    } finally {
      if (kind != null) {
        traffic.ended(kind);
      }
      exchange.close();
    }
  }

  private static Response serve(Route route, HttpExchange exchange, String path)
      throws IOException {
    Matcher matcher = route.path().matcher(path);
    matcher.matches();
    List<String> groups =
        IntStream.rangeClosed(1, matcher.groupCount()).mapToObj(matcher::group).toList();
    Request request =
        new Request(
            exchange.getRequestMethod(),
            path,
            groups,
            Request.parseForm(exchange.getRequestURI().getRawQuery()),
            exchange.getRequestHeaders(),
            exchange.getRequestBody().readAllBytes());
    try {
      return route.endpoint().handle(request);
    } catch (HttpFailure failure) {
      return failure.response();
    } catch (RuntimeException e) {
      // A sandbox bug: answer 500 so the client sees it, and keep the stack trace for the
      // developer.
      log.error("Sandbox endpoint failed on {} {}", request.method(), path, e);
      return Response.error(500, "sandbox failure: " + e);
    }
  }

  private static Response notAllowed(List<Route> onPath) {
    String allowed = String.join(", ", onPath.stream().map(Route::method).distinct().toList());
    return Response.error(405, "method not allowed").withHeader("Allow", allowed);
  }

  /**
   * Sends the headers at once and the body (uncompressed) at about {@code bytesPerSecond}, a tenth
   * of it at a time. Stops when the client goes away (the write fails) or the sandbox shuts down.
   */
  private void trickle(HttpExchange exchange, Response response, int bytesPerSecond)
      throws IOException {
    traffic.responseStarted();
    try {
      byte[] body = response.body();
      Headers headers = exchange.getResponseHeaders();
      response.headers().forEach(headers::set);
      if (response.contentType() != null) {
        headers.set("Content-Type", response.contentType());
      }
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      OutputStream out = exchange.getResponseBody();
      int step = Math.max(1, bytesPerSecond / 10);
      long pauseMillis = Math.max(1, 1000L * step / bytesPerSecond);
      for (int at = 0; at < body.length; at += step) {
        if (at > 0) {
          Thread.sleep(pauseMillis);
        }
        out.write(body, at, Math.min(step, body.length - at));
        out.flush();
      }
    } catch (IOException e) {
      log.debug("Client went away during a trickled body: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      traffic.responseEnded();
    }
  }

  /**
   * Writes the response. With {@code drop}, only half the body goes out before the exchange is
   * closed (with {@link #CUT_AFTER}, that many bytes): HttpServer then closes the connection because the promised Content-Length was not met,
   * which is what a client sees when a provider's connection breaks mid-transfer.
   */
  private static void write(HttpExchange exchange, Response response, boolean drop)
      throws IOException {
    Headers headers = exchange.getResponseHeaders();
    response.headers().forEach(headers::set);
    String cutAfter = headers.getFirst(CUT_AFTER);
    headers.remove(CUT_AFTER);
    if (response.contentType() != null) {
      headers.set("Content-Type", response.contentType());
    }
    // A resource served by byte ranges (S3) has one representation: never gzip-encoded on the fly,
    // or a range of it would name other bytes than the whole.
    boolean gzip =
        Gzip.accepted(exchange.getRequestHeaders().getFirst("Accept-Encoding"))
            && !response.headers().containsKey("Accept-Ranges");
    if (response.streamed() && !drop && cutAfter == null) {
      // Chunked (length 0): the body is generated as it is sent. A drop needs the length: below.
      if (gzip) {
        headers.set("Content-Encoding", "gzip");
      }
      exchange.sendResponseHeaders(response.status(), 0);
      response.writeStreamedBody(exchange.getResponseBody(), gzip);
      return;
    }
    byte[] body = response.body();
    // Already-compressed downloads are sent as they are rather than gzipped twice.
    if (body.length > 0 && !GZIP_FILE.equals(response.contentType()) && gzip) {
      body = Gzip.compress(body);
      headers.set("Content-Encoding", "gzip");
    }
    if (body.length == 0) {
      exchange.sendResponseHeaders(response.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(response.status(), body.length);
    OutputStream out = exchange.getResponseBody();
    int cut = drop ? body.length / 2 : cutAfter == null ? -1 : Integer.parseInt(cutAfter);
    if (cut >= 0 && cut < body.length) {
      out.write(body, 0, cut);
      out.flush();
      log.debug("Dropping connection after {} of {} bytes", cut, body.length);
      return;
    }
    out.write(body);
  }
}
