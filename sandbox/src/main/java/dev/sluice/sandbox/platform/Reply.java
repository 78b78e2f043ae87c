package dev.sluice.sandbox.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Map;

/** A response built in memory; {@link PlatformRoutes} writes it. */
record Reply(int status, String contentType, Map<String, String> headers, byte[] body) {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String JSON = "application/json;charset=UTF-8";

  Reply {
    headers = Map.copyOf(headers);
  }

  static Reply json(int status, Object value) {
    try {
      return new Reply(status, JSON, Map.of(), MAPPER.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Reply bytes(byte[] content) {
    return new Reply(200, "application/octet-stream", Map.of(), content);
  }

  /** The Data Ingestion API's "200 OK, with empty response". */
  static Reply emptyOk() {
    return new Reply(200, null, Map.of(), new byte[0]);
  }

  /**
   * The same reply with {@code Retry-After: 1}, as the gateway sends with a 5xx it expects retried.
   */
  Reply withRetryAfter() {
    return new Reply(status, contentType, Map.of("Retry-After", "1"), body);
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }
}
