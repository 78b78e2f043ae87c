package dev.sluice.activities.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
      return new StatusResult(state, Outcome.FAILED, message);
    }
    if (found(spec.readyWhen(), state, "readyWhen")) {
      return new StatusResult(state, Outcome.READY, null);
    }
    return new StatusResult(state, Outcome.PENDING, null);
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
