package dev.sluice.activities.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.auth.AccessToken;
import dev.sluice.activities.auth.Authenticator;
import dev.sluice.activities.auth.TokenCache;
import dev.sluice.activities.http.HttpFailures;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Adobe IMS authentication plus the headers every Experience Platform call needs: {@code
 * Authorization: Bearer}, {@code x-api-key} (the client ID), {@code x-gw-ims-org-id} and {@code
 * x-sandbox-name}. The token comes from the server-to-server OAuth grant (client credentials, form
 * fields {@code client_id}, {@code client_secret}, {@code grant_type}, {@code scope}) or the older
 * JWT exchange ({@code client_id}, {@code client_secret}, {@code jwt_token}), is kept in the
 * worker's {@link TokenCache} until {@code refreshBefore} ahead of its expiry, and is dropped after
 * a 401 so that one retry fetches a new one.
 */
final class PlatformAuthenticator implements Authenticator {
  static final String JWT = "jwt";
  static final String OAUTH = "oauth-server-to-server";
  private static final String BEARER = "Bearer ";

  /** Lifetime claimed for the signed JWT: IMS only needs it for the exchange itself. */
  private static final Duration JWT_LIFETIME = Duration.ofMinutes(10);

  /**
   * IMS's JWT exchange answers {@code expires_in} in milliseconds (86399992 for a day), the OAuth
   * endpoint in seconds. A JWT-exchange value above a week read as seconds can only be
   * milliseconds; below it, it is seconds (as emulations tend to answer).
   */
  private static final long MAX_PLAUSIBLE_SECONDS = Duration.ofDays(7).toSeconds();

  private final ResolvedConnection connection;
  private final OkHttpClient client;
  private final ObjectMapper mapper;
  private final TokenCache cache;
  private final Clock clock;
  private final String cacheKey;

  PlatformAuthenticator(
      ResolvedConnection connection,
      OkHttpClient client,
      ObjectMapper mapper,
      TokenCache cache,
      Clock clock) {
    this.connection = connection;
    this.client = client;
    this.mapper = mapper;
    this.cache = cache;
    this.clock = clock;
    // Every credential that decides the token, grant included: the same integration may be
    // configured both ways during a migration, and a wrong secret must never find a cached token.
    this.cacheKey =
        TokenCache.keyOf(
            connection.authType(),
            connection.tokenUrl(),
            connection.clientId(),
            connection.clientSecret(),
            connection.scope(),
            connection.technicalAccountId(),
            connection.privateKey(),
            connection.metascopes(),
            connection.imsOrg());
  }

  @Override
  public Request authenticate(Request request) {
    AccessToken token =
        cache.get(cacheKey, connection.refreshBefore(), this::fetch);
    return request
        .newBuilder()
        .header("Authorization", BEARER + token.value())
        .header("x-api-key", connection.clientId())
        .header("x-gw-ims-org-id", connection.imsOrg())
        .header("x-sandbox-name", connection.sandboxName())
        .build();
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
            .add("client_id", connection.clientId())
            .add("client_secret", connection.clientSecret());
    if (JWT.equals(connection.authType())) {
      form.add("jwt_token", jwt());
    } else {
      form.add("grant_type", "client_credentials");
      if (connection.scope() != null && !connection.scope().isBlank()) {
        form.add("scope", connection.scope());
      }
    }
    Request request = new Request.Builder().url(connection.tokenUrl()).post(form.build()).build();
    try (Response response = client.newCall(request).execute()) {
      String body = response.body() == null ? "" : response.body().string();
      if (!response.isSuccessful()) {
        throw endpointFailure(response.code(), body, response.header("Retry-After"));
      }
      return parse(body);
    } catch (IOException e) {
      throw ApplicationFailure.newFailureWithCause(
          "IMS token endpoint " + connection.tokenUrl() + " unreachable: " + e.getMessage(),
          FailureType.HTTP_TRANSIENT.type(),
          e);
    }
  }

  String jwt() {
    HttpUrl tokenUrl = HttpUrl.get(connection.tokenUrl());
    String imsHost =
        tokenUrl.scheme()
            + "://"
            + tokenUrl.host()
            + (tokenUrl.port() == HttpUrl.defaultPort(tokenUrl.scheme())
                ? ""
                : ":" + tokenUrl.port());
    if (connection.privateKey() == null || connection.technicalAccountId() == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "authType jwt needs technicalAccountId and privateKey", FailureType.INVALID_PIPELINE.type());
    }
    return ImsJwt.sign(
        mapper,
        imsHost,
        connection.clientId(),
        connection.imsOrg(),
        connection.technicalAccountId(),
        connection.metascopes(),
        connection.privateKey(),
        clock.instant().plus(JWT_LIFETIME));
  }

  private AccessToken parse(String body) {
    JsonNode json;
    try {
      json = mapper.readTree(body);
    } catch (IOException e) {
      // A successful token response holds the token itself: never quote it.
      throw ApplicationFailure.newNonRetryableFailure(
          "IMS token endpoint " + connection.tokenUrl() + " answered with a body that is not JSON",
          FailureType.AUTH_FAILED.type());
    }
    JsonNode value = json == null ? null : json.path("access_token");
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "IMS token endpoint " + connection.tokenUrl() + " answered without an access_token",
          FailureType.AUTH_FAILED.type());
    }
    long expiresIn = json.path("expires_in").asLong(0);
    if (JWT.equals(connection.authType()) && expiresIn > MAX_PLAUSIBLE_SECONDS) {
      expiresIn = expiresIn / 1000;
    }
    // No expiry given: IMS tokens live 24h; a refresh after 401 covers an earlier revocation.
    Duration ttl = expiresIn > 0 ? Duration.ofSeconds(expiresIn) : Duration.ofHours(24);
    Instant now = clock.instant();
    return new AccessToken(value.asText(), now.plus(ttl));
  }

  private ApplicationFailure endpointFailure(int status, String body, String retryAfter) {
    String message =
        "IMS token endpoint "
            + connection.tokenUrl()
            + " answered HTTP "
            + status
            + ": "
            + errorText(body);
    if (status >= 500 || status == 408 || status == 429) {
      ApplicationFailure.Builder failure =
          ApplicationFailure.newBuilder().setMessage(message).setType(FailureType.HTTP_TRANSIENT.type());
      HttpFailures.retryAfter(retryAfter, clock).ifPresent(failure::setNextRetryDelay);
      return failure.build();
    }
    return ApplicationFailure.newNonRetryableFailure(message, FailureType.AUTH_FAILED.type());
  }

  /** IMS's {@code error} and {@code error_description}, else (a prefix of) the raw body. */
  private String errorText(String body) {
    try {
      JsonNode json = mapper.readTree(body);
      if (json != null && json.hasNonNull("error")) {
        String description = json.path("error_description").asText("");
        return json.get("error").asText() + (description.isEmpty() ? "" : " (" + description + ")");
      }
    } catch (IOException notJson) {
      // Not an OAuth error document: the raw body below is the best description there is.
    }
    return body.length() > 1024 ? body.substring(0, 1024) + "…" : body;
  }

  @Override
  public String toString() {
    return "PlatformAuthenticator[" + connection.tokenUrl() + ", " + connection.authType() + "]";
  }
}
