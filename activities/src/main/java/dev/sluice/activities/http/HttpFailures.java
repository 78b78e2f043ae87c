package dev.sluice.activities.http;

import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Turns unwanted provider answers into typed failures: 4xx other than 408/429 are the pipeline's
 * fault and not retried; 5xx, 408, 429 and I/O errors are retried, after the provider's {@code
 * Retry-After} when it gives one.
 */
public final class HttpFailures {
  /** Enough of a provider's error body to explain it, not enough to flood workflow history. */
  static final int SNIPPET_BYTES = 1024;

  /** What a secret value shows as in a described URL. */
  private static final String HIDDEN = "***";

  /** Query parameter names that carry credentials by convention. */
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "key|token|secret|password|passwd|pwd|signature|^sig$|auth|credential|session",
          Pattern.CASE_INSENSITIVE);

  private HttpFailures() {}

  /** The failure for a non-2xx response; reads (a prefix of) its body but does not close it. */
  static ApplicationFailure forStatus(Response response, Clock clock) {
    int status = response.code();
    String message =
        describe(response.request()) + " answered HTTP " + status + ": " + bodySnippet(response);
    if (status >= 500 || status == 408 || status == 429) {
      ApplicationFailure.Builder failure =
          ApplicationFailure.newBuilder().setMessage(message).setType(FailureType.HTTP_TRANSIENT.type());
      retryAfter(response.header("Retry-After"), clock).ifPresent(failure::setNextRetryDelay);
      return failure.build();
    }
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.HTTP_CLIENT_ERROR.type());
  }

  /** A retryable failure for a request that got no complete answer. */
  static ApplicationFailure forIo(Request request, IOException e) {
    return ApplicationFailure.newFailureWithCause(
        describe(request) + " failed: " + e, FailureType.HTTP_TRANSIENT.type(), e);
  }

  /**
   * The delay a {@code Retry-After} header asks for: delta-seconds or an HTTP date. Empty when
   * absent, unparseable or already past.
   */
  public static Optional<Duration> retryAfter(String header, Clock clock) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String value = header.trim();
    Duration delay;
    if (!value.isEmpty() && value.length() <= 9 && value.chars().allMatch(Character::isDigit)) {
      delay = Duration.ofSeconds(Long.parseLong(value));
    } else {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        delay = Duration.between(clock.instant(), at.toInstant());
      } catch (DateTimeParseException e) {
        // RFC 9110 allows only these two forms; anything else is ignored like a missing header.
        return Optional.empty();
      }
    }
    return delay.isNegative() || delay.isZero() ? Optional.empty() : Optional.of(delay);
  }

  /**
   * Method and URL, query included, safe for messages: the value of a query parameter or path
   * segment that holds a secret the URL was rendered with ({@link SecretValues}), or of a query
   * parameter whose name says it is one ({@code api_key}, {@code token}, {@code signature}…), shows
   * as {@code ***}; user info is left out.
   */
  static String describe(Request request) {
    HttpUrl url = request.url();
    SecretValues tagged = request.tag(SecretValues.class);
    Set<String> secrets = tagged == null ? Set.of() : tagged.values();
    HttpUrl.Builder shown = url.newBuilder().username("").password("");
    List<String> segments = url.pathSegments();
    for (int i = 0; i < segments.size(); i++) {
      if (holdsSecret(segments.get(i), secrets)) {
        shown.setPathSegment(i, HIDDEN);
      }
    }
    if (url.querySize() > 0) {
      shown.query(null);
      for (int i = 0; i < url.querySize(); i++) {
        String name = url.queryParameterName(i);
        String value = url.queryParameterValue(i);
        if (holdsSecret(name, secrets)) {
          shown.addQueryParameter(HIDDEN, value == null ? null : HIDDEN);
        } else if (value != null
            && (SECRET_NAME.matcher(name).find() || holdsSecret(value, secrets))) {
          shown.addQueryParameter(name, HIDDEN);
        } else {
          shown.addQueryParameter(name, value);
        }
      }
    }
    HttpUrl safe = shown.build();
    String query = safe.encodedQuery();
    return request.method()
        + " "
        + url.scheme()
        + "://"
        + url.host()
        + ":"
        + url.port()
        + safe.encodedPath()
        + (query == null ? "" : "?" + query);
  }

  private static boolean holdsSecret(String text, Set<String> secrets) {
    for (String secret : secrets) {
      // A very short secret would hide half the URL if matched inside words: whole values only.
      if (!secret.isEmpty()
          && (text.equals(secret) || (secret.length() >= 4 && text.contains(secret)))) {
        return true;
      }
    }
    return false;
  }

  /** Up to {@link #SNIPPET_BYTES} of a body, read without consuming it. */
  static String bodySnippet(Response response) {
    try {
      String text = response.peekBody(SNIPPET_BYTES).string();
      return text.length() >= SNIPPET_BYTES ? text + "…" : text;
    } catch (IOException e) {
      return "(body unreadable: " + e.getMessage() + ")";
    }
  }

  /** A duration as pipelines write one: {@code 250ms}, {@code 45s}, {@code 5m}, {@code 1.5s}. */
  static String duration(Duration duration) {
    long millis = duration.toMillis();
    if (millis < 1000) {
      return millis + "ms";
    }
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
  }

  /** Up to {@link #SNIPPET_BYTES} characters of an already read body. */
  static String snippet(String body) {
    return body.length() > SNIPPET_BYTES ? body.substring(0, SNIPPET_BYTES) + "…" : body;
  }
}
