package dev.sluice.sandbox;

import com.sun.net.httpserver.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * An HTTP request as seen by an endpoint: the path groups captured by its route, the decoded query
 * parameters (first value wins), the headers and the whole body.
 */
record Request(
    String method,
    String path,
    List<String> pathParams,
    Map<String, String> query,
    Headers headers,
    byte[] body) {

  /** The path group captured by the route's regular expression, counted from 1. */
  String pathParam(int group) {
    return pathParams.get(group - 1);
  }

  Optional<String> queryParam(String name) {
    return Optional.ofNullable(query.get(name));
  }

  /**
   * The query parameter as an int, {@code fallback} when absent; 400 via {@code onError} otherwise.
   */
  int intParam(String name, int fallback, Function<String, Response> onError) {
    String raw = query.get(name);
    if (raw == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      throw new HttpFailure(onError.apply("parameter " + name + " is not an integer: " + raw));
    }
  }

  String header(String name) {
    return headers.getFirst(name);
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Decodes an {@code application/x-www-form-urlencoded} string (a query or a form body). */
  static Map<String, String> parseForm(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.putIfAbsent(decode(name), decode(value));
    }
    return params;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
