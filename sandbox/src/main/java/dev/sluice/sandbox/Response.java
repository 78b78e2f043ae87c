package dev.sluice.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP response built in memory, written by {@link Router} (which also applies gzip and faults). */
record Response(int status, String contentType, Map<String, String> headers, byte[] body) {

  static final String JSON = "application/json;charset=UTF-8";

  Response {
    headers = Map.copyOf(headers);
  }

  static Response json(int status, Object value) {
    return new Response(status, JSON, Map.of(), Json.bytes(value));
  }

  /** The sandbox's own error shape, also the generic API's: {@code {"error":"<message>"}}. */
  static Response error(int status, String message) {
    return json(status, Json.object().put("error", message));
  }

  static Response text(int status, String contentType, String body) {
    return new Response(status, contentType, Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }

  static Response noContent() {
    return new Response(204, null, Map.of(), new byte[0]);
  }

  Response withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Response(status, contentType, copy, body);
  }
}
