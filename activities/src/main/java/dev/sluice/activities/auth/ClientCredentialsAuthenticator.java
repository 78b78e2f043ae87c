package dev.sluice.activities.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.http.HttpFailures;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import okhttp3.FormBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OAuth2 client-credentials grant: a bearer token fetched from the token endpoint and kept in the
 * worker's {@link TokenCache} until {@code refreshBefore} ahead of its expiry ({@code expires_in},
 * or {@code defaultTtl} when the endpoint gives none). After a 401 the rejected token is dropped,
 * so the one retry fetches a new one.
 */
final class ClientCredentialsAuthenticator implements Authenticator {
  private static final String BEARER = "Bearer ";
  private static final int MAX_ERROR_CHARS = 1024;

  private final ClientCredentials credentials;
  private final OkHttpClient client;
  private final ObjectMapper mapper;
  private final TokenCache cache;
  private final Clock clock;
  private final String cacheKey;

  ClientCredentialsAuthenticator(
      ClientCredentials credentials,
      OkHttpClient client,
      ObjectMapper mapper,
      TokenCache cache,
      Clock clock) {
    this.credentials = credentials;
    this.client = client;
    this.mapper = mapper;
    this.cache = cache;
    this.clock = clock;
    this.cacheKey =
        TokenCache.keyOf(
            "client_credentials",
            credentials.tokenUrl(),
            credentials.clientId(),
            credentials.clientSecret(),
            credentials.scope());
  }

  @Override
  public Request authenticate(Request request) {
    AccessToken token =
        cache.get(cacheKey, credentials.refreshBefore(), this::fetch);
    return request.newBuilder().header("Authorization", BEARER + token.value()).build();
  }

  @Override
  public boolean refreshAfterUnauthorized(Request rejected) {
    String authorization = rejected.header("Authorization");
    if (authorization != null && authorization.startsWith(BEARER)) {
      cache.invalidate(cacheKey, authorization.substring(BEARER.length()));
    }
    return true;
  }

  private AccessToken fetch() {
    FormBody.Builder form =
        new FormBody.Builder()
            .add("grant_type", "client_credentials")
            .add("client_id", credentials.clientId())
            .add("client_secret", credentials.clientSecret());
    if (credentials.scope() != null) {
      form.add("scope", credentials.scope());
    }
    Request request = new Request.Builder().url(credentials.tokenUrl()).post(form.build()).build();
    try (Response response = client.newCall(request).execute()) {
      String body = response.body() == null ? "" : response.body().string();
      if (!response.isSuccessful()) {
        throw endpointFailure(response.code(), body, response.header("Retry-After"));
      }
      return parseToken(body);
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "token endpoint " + credentials.tokenUrl() + " unreachable: " + e.getMessage(),
          FailureType.HTTP_TRANSIENT.type(),
          e);
    }
  }

  private AccessToken parseToken(String body) {
    JsonNode json;
    try {
      json = mapper.readTree(body);
    } catch (IOException e) {
      // The body of a successful token response may hold the token itself: never quote it.
      throw ApplicationFailure.newNonRetryableFailure(
          "token endpoint " + credentials.tokenUrl() + " answered with a body that is not JSON",
          FailureType.AUTH_FAILED.type());
    }
    JsonNode value = json.path("access_token");
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "token endpoint " + credentials.tokenUrl() + " answered without an access_token",
          FailureType.AUTH_FAILED.type());
    }
    JsonNode expiresIn = json.path("expires_in");
    Duration ttl =
        expiresIn.canConvertToLong() || expiresIn.isTextual() && !expiresIn.asText().isBlank()
            ? Duration.ofSeconds(expiresIn.asLong())
            : credentials.defaultTtl();
    return new AccessToken(value.asText(), clock.instant().plus(ttl));
  }

  private ApplicationFailure endpointFailure(int status, String body, String retryAfter) {
    String message =
        "token endpoint "
            + credentials.tokenUrl()
            + " answered HTTP "
            + status
            + ": "
            + errorText(body);
    boolean transientStatus = status >= 500 || status == 408 || status == 429;
    if (!transientStatus) {
      return ApplicationFailure.newNonRetryableFailure(message, FailureType.AUTH_FAILED.type());
    }
    ApplicationFailure.Builder failure =
        ApplicationFailure.newBuilder().setMessage(message).setType(FailureType.HTTP_TRANSIENT.type());
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

  @Override
  public String toString() {
    return "ClientCredentialsAuthenticator[" + credentials.tokenUrl() + "]";
  }
}
