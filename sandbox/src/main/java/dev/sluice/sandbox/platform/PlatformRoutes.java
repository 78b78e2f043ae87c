package dev.sluice.sandbox.platform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches the platform's requests by method and path, checks the gateway headers of data calls,
 * injects queued faults, and writes the reply. Its own small router rather than the sandbox's: the
 * platform's error shapes and header checks differ, and this package stays self-contained.
 */
final class PlatformRoutes implements HttpHandler {

  /** Handles one call; may throw {@link PlatformFailure}. */
  @FunctionalInterface
  interface Endpoint {
    Reply handle(Call call);
  }

  private record Route(
      String method, Pattern path, boolean gated, String faultKind, Endpoint endpoint) {}

  private static final Logger log = LoggerFactory.getLogger(PlatformRoutes.class);

  private final List<Route> routes = new ArrayList<>();
  private final Gateway gateway;
  private final Faults faults;

  PlatformRoutes(Gateway gateway, Faults faults) {
    this.gateway = gateway;
    this.faults = faults;
  }

  /** A route open to anyone (IMS, control endpoints). */
  PlatformRoutes open(String method, String pathRegex, String faultKind, Endpoint endpoint) {
    routes.add(new Route(method, Pattern.compile(pathRegex), false, faultKind, endpoint));
    return this;
  }

  /** A data call: needs a valid token, API key, org and sandbox headers. */
  PlatformRoutes gated(String method, String pathRegex, String faultKind, Endpoint endpoint) {
    routes.add(new Route(method, Pattern.compile(pathRegex), true, faultKind, endpoint));
    return this;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      List<Route> onPath = routes.stream().filter(r -> r.path().matcher(path).matches()).toList();
      Optional<Route> route =
          onPath.stream().filter(r -> r.method().equals(exchange.getRequestMethod())).findFirst();
      if (route.isEmpty()) {
        write(
            exchange,
            onPath.isEmpty()
                ? PlatformFailure.problem(
                    404, "SBX-1404-404", "Not Found", "no resource at " + path)
                : PlatformFailure.problem(
                    405,
                    "SBX-1405-405",
                    "Method Not Allowed",
                    exchange.getRequestMethod() + " is not allowed on " + path),
            false);
        return;
      }
      Call call = call(route.get(), exchange, path);
      if (route.get().gated()) {
        Optional<Reply> denied = gateway.check(call);
        if (denied.isPresent()) {
          write(exchange, denied.get(), false);
          return;
        }
      }
      String kind = route.get().faultKind();
      Optional<Reply> injected = kind == null ? Optional.empty() : faults.injectedError(kind);
      if (injected.isPresent()) {
        write(exchange, injected.get(), false);
        return;
      }
      if (kind != null && faults.takeLoss(kind)) {
        serve(route.get(), call);
        // Served, and nothing sent: closing an exchange before its response headers closes the
        // connection, so the client reads end-of-stream where the status line should be.
        log.debug("Losing the answer to {} {}", call.method(), path);
        return;
      }
      boolean drop = kind != null && faults.takeDrop(kind);
      write(exchange, serve(route.get(), call), drop);
    } finally {
      exchange.close();
    }
  }

  private static Call call(Route route, HttpExchange exchange, String path) throws IOException {
    Matcher matcher = route.path().matcher(path);
    matcher.matches();
    List<String> groups =
        IntStream.rangeClosed(1, matcher.groupCount()).mapToObj(matcher::group).toList();
    return new Call(
        exchange.getRequestMethod(),
        path,
        groups,
        Call.parseForm(exchange.getRequestURI().getRawQuery()),
        exchange.getRequestHeaders(),
        exchange.getRequestBody().readAllBytes());
  }

  private static Reply serve(Route route, Call call) {
    try {
      return route.endpoint().handle(call);
    } catch (PlatformFailure failure) {
      return failure.reply();
    } catch (RuntimeException e) {
      // A sandbox bug: a 500 the client sees, and the stack trace for the developer.
      log.error("Platform endpoint failed on {} {}", call.method(), call.path(), e);
      return PlatformFailure.problem(
          500, "SBX-1500-500", "Internal Server Error", "sandbox failure: " + e);
    }
  }

  /**
   * With {@code drop}, only half the body goes out before the exchange closes: the request was
   * served (an upload is stored, a batch completed) but the client sees a broken connection, as
   * after a timeout on a real network.
   */
  private static void write(HttpExchange exchange, Reply reply, boolean drop) throws IOException {
    reply.headers().forEach(exchange.getResponseHeaders()::set);
    if (reply.contentType() != null) {
      exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    }
    byte[] body = reply.body();
    if (drop) {
      // An empty reply cannot be cut in half: promise one byte and send none.
      exchange.sendResponseHeaders(reply.status(), Math.max(body.length, 1));
      OutputStream out = exchange.getResponseBody();
      out.write(body, 0, body.length / 2);
      out.flush();
      log.debug("Dropping connection after {} of {} bytes", body.length / 2, body.length);
      return;
    }
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }
}
