package dev.sluice.sandbox.platform;

import com.sun.net.httpserver.Headers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One request as an endpoint sees it: captured path groups, decoded query (first value wins),
 * headers, body.
 */
record Call(
    String method,
    String path,
    List<String> groups,
    Map<String, String> query,
    Headers headers,
    byte[] body) {

  /** The path group captured by the route, counted from 1. */
  String group(int index) {
    return groups.get(index - 1);
  }

  Optional<String> param(String name) {
    return Optional.ofNullable(query.get(name)).filter(v -> !v.isEmpty());
  }

  /**
   * @throws PlatformFailure 400 when present and not a number
   */
  long longParam(String name, long fallback) {
    String raw = query.get(name);
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw PlatformFailure.badRequest(
          "parameter " + name + " must be a number, got '" + raw + "'");
    }
  }

  /** {@code start}/{@code limit} paging with the platform's default and maximum limit. */
  Page page(int defaultLimit, int maxLimit) {
    long start = longParam("start", 0);
    long limit = longParam("limit", defaultLimit);
    if (start < 0 || limit < 1 || limit > maxLimit) {
      throw PlatformFailure.badRequest("start must be >= 0 and limit between 1 and " + maxLimit);
    }
    return new Page((int) Math.min(start, Integer.MAX_VALUE), (int) limit);
  }

  String header(String name) {
    return headers.getFirst(name);
  }

  /** Form parameters from an {@code application/x-www-form-urlencoded} body, then the query. */
  Map<String, String> form() {
    Map<String, String> form = parseForm(new String(body, StandardCharsets.UTF_8));
    query.forEach(form::putIfAbsent);
    return form;
  }

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

  /** An offset page: items {@code start} to {@code start + limit - 1}. */
  record Page(int start, int limit) {

    <T> List<T> of(List<T> all) {
      return start >= all.size()
          ? List.of()
          : all.subList(start, Math.min(all.size(), start + limit));
    }
  }
}
