package dev.sluice.activities.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads values out of a provider's JSON answer by JSON pointer ({@code ${submit:/ptr}}, {@code
 * ${status:/ptr}}, {@code ${resolved:/ptr}}). A pointer that finds nothing (or null) fails the run:
 * the same answer would come again, so it is not retried.
 */
final class AnswerReader {
  private final ObjectMapper json;

  AnswerReader(ObjectMapper json) {
    this.json = json;
  }

  /** The answer as JSON; {@code what} names it in the failure when it is not JSON. */
  JsonNode parse(String answer, String what) {
    try {
      JsonNode node = json.readTree(answer);
      if (node == null || node.isMissingNode()) {
        throw missing("the answer is empty", what);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw missing("the answer is not JSON (" + e.getOriginalMessage() + ")", what);
    }
  }

  /** The text at each pointer, by pointer (a non-text value as its JSON). */
  Map<String, String> values(JsonNode answer, List<String> pointers, String what) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pointer : pointers) {
      values.put(pointer, value(answer, pointer, what));
    }
    return values;
  }

  /** The text at {@code pointer}. */
  static String value(JsonNode answer, String pointer, String what) {
    JsonNode node = optional(answer, pointer);
    if (node == null) {
      throw missing("JSON pointer " + pointer + " finds no value", what);
    }
    return node.isValueNode() ? node.asText() : node.toString();
  }

  /** The node at {@code pointer}, or null when there is none or it is JSON null. */
  static JsonNode optional(JsonNode answer, String pointer) {
    JsonNode node = answer.at(pointer);
    return node.isMissingNode() || node.isNull() ? null : node;
  }

  private static ApplicationFailure missing(String problem, String what) {
    return ApplicationFailure.newNonRetryableFailure(
        problem + " in " + what, FailureType.ANSWER_VALUE_MISSING.type());
  }
}
