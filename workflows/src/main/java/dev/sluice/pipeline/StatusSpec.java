package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.util.Map;

/**
 * How to check a provider job (DIL's session key field, call interval and wait timeout).
 *
 * @param method HTTP method (default GET)
 * @param url URL template, usually with {@code ${requestId}}
 * @param headers header templates
 * @param field JSON pointer of the status field (default {@code /state})
 * @param readyWhen regular expression: a matching status means ready
 * @param failedWhen regular expression: a matching status means failed (optional)
 * @param errorField JSON pointer of the provider's error message (optional)
 * @param interval first wait between checks (default 5s)
 * @param backoff multiplier applied to the wait after each check (default 1.5)
 * @param maxInterval ceiling of the wait (default 60s)
 * @param timeout overall wait timeout from submit (default 1h)
 * @param polling who paces the checks: {@code server} (default; one activity that the Temporal
 *     server retries at the interval until the job is final) or {@code workflow} (a durable timer
 *     and an activity per check)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatusSpec(
    String method,
    String url,
    Map<String, String> headers,
    String field,
    String readyWhen,
    String failedWhen,
    String errorField,
    Duration interval,
    Double backoff,
    Duration maxInterval,
    Duration timeout,
    String polling) {
  public StatusSpec {
    method = RequestSpec.method(method, "GET");
    headers = RequestSpec.headers(headers);
    field = field == null ? "/state" : field;
    interval = interval == null ? Duration.ofSeconds(5) : interval;
    backoff = backoff == null ? 1.5 : backoff;
    maxInterval = maxInterval == null ? Duration.ofSeconds(60) : maxInterval;
    timeout = timeout == null ? Duration.ofHours(1) : timeout;
    polling = polling == null ? SERVER : polling;
  }

  /** Checks paced by the Temporal server: one activity, retried at the interval until final. */
  public static final String SERVER = "server";

  /** Checks paced by the workflow: a durable timer and a status activity per check. */
  public static final String WORKFLOW = "workflow";

  /** Whether the Temporal server paces the checks ({@link #SERVER}). */
  public boolean serverPolling() {
    return SERVER.equals(polling);
  }

  /** This status check as a plain request. */
  public RequestSpec request() {
    return new RequestSpec(method, url, headers, null);
  }
}
