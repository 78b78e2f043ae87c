package dev.sluice.activities.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.pipeline.RequestIdSpec;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Finds the provider's request ID in a submit response (DIL's derived field): a body field at a
 * JSON pointer or a header, optionally narrowed by a regular expression whose first group is the
 * ID.
 */
final class RequestIdLocator {
  private final ObjectMapper mapper;

  RequestIdLocator(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * The request ID.
   *
   * @param spec where it is
   * @param header looks up a response header
   * @param body the response body
   * @throws ApplicationFailure non-retryable {@link FailureType#REQUEST_ID_NOT_FOUND} naming where
   *     it looked, with a snippet of the response; {@link FailureType#INVALID_PIPELINE} for an
   *     unknown {@code from} or a regex that does not compile or has no group
   */
  String locate(RequestIdSpec spec, UnaryOperator<String> header, String body) {
    String where;
    String value;
    switch (spec.from()) {
      case "body" -> {
        where = "body field " + spec.pointer();
        value = bodyField(spec.pointer(), body);
      }
      case "header" -> {
        where = "header " + spec.header();
        value = spec.header() == null ? null : header.apply(spec.header());
      }
      default ->
          throw ApplicationFailure.newNonRetryableFailure(
              "requestId.from must be body or header, not '" + spec.from() + "'",
              FailureType.INVALID_PIPELINE.type());
    }
    if (value == null || value.isEmpty()) {
      throw notFound("no request ID in the submit response's " + where, body);
    }
    return spec.regex() == null ? value : group(spec.regex(), value, where, body);
  }

  private String bodyField(String pointer, String body) {
    try {
      JsonNode node = mapper.readTree(body);
      JsonNode field = node == null ? null : node.at(pointer);
      return field == null || field.isMissingNode() || field.isNull() || field.isContainerNode()
          ? null
          : field.asText();
    } catch (JsonProcessingException e) {
      throw notFound("the submit response is not JSON, so it has no body field " + pointer, body);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "requestId.pointer '" + pointer + "' is not a JSON pointer",
          FailureType.INVALID_PIPELINE.type());
    }
  }

  private static String group(String regex, String value, String where, String body) {
    Matcher matcher;
    try {
      matcher = Pattern.compile(regex).matcher(value);
    } catch (PatternSyntaxException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "requestId.regex does not compile: " + e.getMessage(), FailureType.INVALID_PIPELINE.type());
    }
    if (matcher.groupCount() < 1) {
      throw ApplicationFailure.newNonRetryableFailure(
          "requestId.regex '" + regex + "' has no group to take the ID from",
          FailureType.INVALID_PIPELINE.type());
    }
    if (!matcher.find() || matcher.group(1) == null) {
      throw notFound("the submit response's " + where + " does not match " + regex, body);
    }
    return matcher.group(1);
  }

  private static ApplicationFailure notFound(String message, String body) {
    return ApplicationFailure.newNonRetryableFailure(
        message + "; response: " + HttpFailures.snippet(body), FailureType.REQUEST_ID_NOT_FOUND.type());
  }
}
