package dev.sluice.activities.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.http.HttpFailures;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Clock;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The worker's bearer tokens: fetched from a {@link TokenGrant}'s endpoint and kept in the
 * worker's one {@link TokenCache} under the grant's credential key until {@code refreshBefore}
 * ahead of expiry. One instance per worker, shared by every activity that talks to a provider.
 */
public final class OAuthTokens {
  private static final int MAX_ERROR_CHARS = 1024;

  private final OkHttpClient client;
  private final ObjectMapper mapper;
  private final TokenCache cache;
  private final Clock clock;

  /**
   * @param client the worker's HTTP client, used for token endpoints
   * @param mapper the worker's JSON mapper, used for token responses
   * @param cache the worker's token cache
   * @param clock decides token expiry
   */
  public OAuthTokens(OkHttpClient client, ObjectMapper mapper, TokenCache cache, Clock clock) {
    this.client = client;
    this.mapper = mapper;
    this.cache = cache;
    this.clock = clock;
  }

  /** The clock tokens expire by (a signed assertion's expiry uses it too). */
  public Clock clock() {
    return clock;
  }

  /**
   * The cached token of {@code grant}'s credentials, or a fresh one from its endpoint.
   *
   * @throws ApplicationFailure non-retryable {@link FailureType#AUTH_FAILED} when the endpoint
   *     rejects the credentials or answers without a token; {@link FailureType#HTTP_TRANSIENT}
   *     (with its {@code Retry-After}) for 5xx, 408, 429 or an unreachable endpoint
   */
  public AccessToken get(TokenGrant grant) {
    return cache.get(grant.cacheKey(), grant.refreshBefore(), () -> fetch(grant));
  }

  /** Forgets {@code grant}'s token if it is still {@code rejectedValue} (after a 401). */
  public void invalidate(TokenGrant grant, String rejectedValue) {
    cache.invalidate(grant.cacheKey(), rejectedValue);
  }

  private AccessToken fetch(TokenGrant grant) {
    Request request = new Request.Builder().url(grant.tokenUrl()).post(grant.form()).build();
    try (Response response = client.newCall(request).execute()) {
      String body = response.body() == null ? "" : response.body().string();
      if (!response.isSuccessful()) {
        throw endpointFailure(grant, response.code(), body, response.header("Retry-After"));
      }
      return parse(grant, body);
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          grant.describe() + " unreachable: " + e.getMessage(),
          FailureType.HTTP_TRANSIENT.type(),
          e);
    }
  }

  private AccessToken parse(TokenGrant grant, String body) {
    JsonNode json;
    try {
      json = mapper.readTree(body);
    } catch (IOException e) {
      // The body of a successful token response may hold the token itself: never quote it.
      throw ApplicationFailure.newNonRetryableFailure(
          grant.describe() + " answered with a body that is not JSON",
          FailureType.AUTH_FAILED.type());
    }
    JsonNode value = json == null ? null : json.path("access_token");
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          grant.describe() + " answered without an access_token", FailureType.AUTH_FAILED.type());
    }
    return new AccessToken(
        value.asText(), clock.instant().plus(grant.lifetime(json.path("expires_in"))));
  }

  private ApplicationFailure endpointFailure(
      TokenGrant grant, int status, String body, String retryAfter) {
    String message = grant.describe() + " answered HTTP " + status + ": " + errorText(body);
    boolean transientStatus = status >= 500 || status == 408 || status == 429;
    if (!transientStatus) {
      return ApplicationFailure.newNonRetryableFailure(message, FailureType.AUTH_FAILED.type());
    }
    ApplicationFailure.Builder failure =
        ApplicationFailure.newBuilder()
            .setMessage(message)
            .setType(FailureType.HTTP_TRANSIENT.type());
    HttpFailures.retryAfter(retryAfter, clock).ifPresent(failure::setNextRetryDelay);
    return failure.build();
  }

  /** RFC 6749 {@code error} and {@code error_description} when present, else the raw body. */
  private String errorText(String body) {
    try {
      JsonNode json = mapper.readTree(body);
      if (json != null && json.hasNonNull("error")) {
        String description = json.path("error_description").asText("");
        return json.get("error").asText() + (description.isEmpty() ? "" : " (" + description + ")");
      }
    } catch (IOException notJson) {
      // Not an RFC 6749 error document: the raw body below is the best description there is.
    }
    return body.length() > MAX_ERROR_CHARS ? body.substring(0, MAX_ERROR_CHARS) + "…" : body;
  }
}
