package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * The request that starts a provider job.
 *
 * @param method HTTP method (default POST)
 * @param url URL template
 * @param headers header templates
 * @param body body template
 * @param requestId where the provider's request ID is in the response
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubmitSpec(
    String method, String url, Map<String, String> headers, String body, RequestIdSpec requestId) {
  public SubmitSpec {
    method = RequestSpec.method(method, "POST");
    headers = RequestSpec.headers(headers);
  }

  /** This submit as a plain request. */
  public RequestSpec request() {
    return new RequestSpec(method, url, headers, body);
  }
}
