package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * One templated HTTP request. {@code url}, header values and {@code body} may use {@code
 * ${watermark}}, {@code ${logicalDate}}, {@code ${requestId}}, {@code ${runId}} (the workflow ID),
 * {@code ${idempotencyKey}} (unique to a run, stable across its retries), {@code ${pipeline}} and
 * secret references.
 *
 * @param method HTTP method (default GET, or POST when a body is given)
 * @param url URL template
 * @param headers header templates
 * @param body body template, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RequestSpec(String method, String url, Map<String, String> headers, String body) {
  public RequestSpec {
    headers = headers(headers);
    method = method(method, body == null ? "GET" : "POST");
  }

  /**
   * The HTTP method of a request-shaped spec (this one, a submit, a status check, an extract): in
   * upper case, or {@code byDefault} when not given.
   */
  static String method(String method, String byDefault) {
    return method == null ? byDefault : method.toUpperCase(java.util.Locale.ROOT);
  }

  /** The header templates of a request-shaped spec: an immutable copy, empty when not given. */
  static Map<String, String> headers(Map<String, String> headers) {
    return headers == null ? Map.of() : Map.copyOf(headers);
  }
}
