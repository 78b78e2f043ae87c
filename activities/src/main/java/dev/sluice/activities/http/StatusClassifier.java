package dev.sluice.activities.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.pipeline.SplitSpec;
import dev.sluice.pipeline.StatusSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.StatusResult;
import io.temporal.failure.ApplicationFailure;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a status response and classifies it with the source's {@code failedWhen} and {@code
 * readyWhen}. Like DIL's {@code regexp} condition, a pattern matches when it is <em>found</em> in
 * the status ({@link java.util.regex.Matcher#find()}), so {@code success|ready} works as written;
 * anchor it ({@code ^JobComplete$}) to demand the whole value. Failure wins over readiness;
 * anything else is pending.
 */
final class StatusClassifier {
  private final ObjectMapper mapper;

  StatusClassifier(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * @throws ApplicationFailure non-retryable {@link FailureType#INVALID_PIPELINE} when the body is
   *     not JSON or has no status at {@code spec.field()}, or a pattern does not compile
   */
  StatusResult classify(StatusSpec spec, String body) {
    return classify(spec, null, body);
  }

  /**
   * The same, and for a ready job the result's row count and size at {@code split}'s pointers
   * (each null when the pointer is unset or its value is missing or not a whole number).
   */
  StatusResult classify(StatusSpec spec, SplitSpec split, String body) {
    JsonNode json;
    try {
      json = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw invalid("status response is not JSON: " + HttpFailures.snippet(body));
    }
    JsonNode field = json == null ? null : json.at(spec.field());
    if (field == null || field.isMissingNode() || field.isNull()) {
      throw invalid(
          "status response has no field " + spec.field() + ": " + HttpFailures.snippet(body));
    }
    String state = field.isValueNode() ? field.asText() : field.toString();
    if (found(spec.failedWhen(), state, "failedWhen")) {
      JsonNode error = spec.errorField() == null ? null : json.at(spec.errorField());
      String message =
          error == null || error.isMissingNode() || error.isNull() ? null : error.asText();
      return new StatusResult(state, Outcome.FAILED, message, null, null);
    }
    if (found(spec.readyWhen(), state, "readyWhen")) {
      return split == null
          ? new StatusResult(state, Outcome.READY, null, null, null)
          : new StatusResult(
              state,
              Outcome.READY,
              null,
              count(json, split.rowsPointer()),
              count(json, split.bytesPointer()));
    }
    return new StatusResult(state, Outcome.PENDING, null, null, null);
  }

  private static Long count(JsonNode json, String pointer) {
    JsonNode value = pointer == null ? null : json.at(pointer);
    if (value == null || value.isMissingNode() || value.isNull()) {
      return null;
    }
    if (value.canConvertToLong()) {
      return value.asLong();
    }
    // Some providers send counts as text ("1234").
    try {
      return Long.parseLong(value.asText().trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static boolean found(String regex, String state, String name) {
    if (regex == null) {
      return false;
    }
    try {
      return Pattern.compile(regex).matcher(state).find();
    } catch (PatternSyntaxException e) {
      throw invalid("status." + name + " does not compile: " + e.getMessage());
    }
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.INVALID_PIPELINE.type());
  }
}
