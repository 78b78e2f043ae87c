package dev.sluice.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Function;

/** The sandbox's one {@link ObjectMapper} (thread-safe, shared by every endpoint). */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static byte[] bytes(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Parses a request body as a JSON object.
   *
   * @param onError builds the provider-specific 400 response from the parser's message
   * @throws HttpFailure with that response when the body is not a JSON object
   */
  static JsonNode readObject(byte[] body, Function<String, Response> onError) {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw new HttpFailure(onError.apply("request body must be a JSON object"));
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new HttpFailure(onError.apply(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException("reading an in-memory body cannot fail", e);
    }
  }
}
