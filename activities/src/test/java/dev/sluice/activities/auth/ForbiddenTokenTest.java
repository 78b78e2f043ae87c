package dev.sluice.activities.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.http.HttpMetrics;
import dev.sluice.activities.http.ProviderHttp;
import dev.sluice.activities.http.TestServer;
import dev.sluice.activities.http.TestServer.Reply;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.AuthSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SP-API answers an expired or revoked access token with 403 {@code Unauthorized}, not 401: the
 * token is dropped, a new one fetched with the refresh token, and the request sent once more. A 403
 * for anything else stands.
 */
class ForbiddenTokenTest {
  private static final String REVOKED =
      "{\"errors\":[{\"code\":\"Unauthorized\",\"message\":\"Access to requested resource is"
          + " denied.\",\"details\":\"The access token you provided is revoked, malformed or"
          + " invalid.\"}]}";

  private final TestServer server = new TestServer();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
  private final OkHttpClient client = new OkHttpClient();
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final Authenticators authenticators =
      new Authenticators(
          new OAuthTokens(client, new ObjectMapper(), new TokenCache(clock), clock),
          new SecretResolver(Map.of("REFRESH", "Atzr|r1")::get, "w1"));

  @AfterEach
  void stop() {
    server.close();
  }

  private ProviderHttp http() {
    AuthSpec spec =
        new AuthSpec.OAuth2RefreshToken(
            server.url("/token"),
            "client-1",
            "secret-1",
            "${env:REFRESH}",
            "x-amz-access-token",
            Duration.ofSeconds(60),
            null);
    return new ProviderHttp(
        client, authenticators.forSpec(spec), new HttpMetrics(new SimpleMeterRegistry()), clock);
  }

  private void issueTokens() {
    server.route(
        "/token",
        call ->
            Reply.json(
                200,
                "{\"access_token\":\"Atza|t"
                    + tokensIssued.incrementAndGet()
                    + "\",\"expires_in\":3600}"));
  }

  /** Accepts only {@code token}; any other gets {@code refusal} with 403. */
  private void acceptOnly(String token, String refusal) {
    server.route(
        "/reports",
        call ->
            token.equals(call.header("x-amz-access-token"))
                ? Reply.json(202, "{\"reportId\":\"1\"}")
                : Reply.json(403, refusal));
  }

  private int post(ProviderHttp http) {
    Request create =
        new Request.Builder()
            .url(server.url("/reports"))
            .post(RequestBody.create("{}", MediaType.get("application/json")))
            .build();
    try (Response response = http.execute(create)) {
      return response.code();
    }
  }

  @Test
  void givenTokenRevoked_whenProviderAnswers403Unauthorized_thenOneFreshTokenAndOneMoreTry() {
    issueTokens();
    acceptOnly("Atza|t2", REVOKED);

    assertThat(post(http())).isEqualTo(202);
    assertThat(tokensIssued).hasValue(2);
    assertThat(server.calls("/reports"))
        .extracting(call -> call.header("x-amz-access-token"))
        .containsExactly("Atza|t1", "Atza|t2");
  }

  @Test
  void givenFreshTokenAlsoRefused_whenProviderAnswers403Twice_thenAuthFailedNamingTheAnswer() {
    issueTokens();
    acceptOnly("never", REVOKED);

    assertThatThrownBy(() -> post(http()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("AuthFailed");
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .contains("answered HTTP 403 again after a fresh access token")
                  .contains("revoked, malformed or invalid");
            });
    assertThat(server.calls("/reports")).hasSize(2);
  }

  @Test
  void givenRefreshTokenRevoked_whenTheFreshTokenIsAskedFor_thenAuthFailedWithTheGrantError() {
    issueTokens();
    acceptOnly("never", REVOKED);
    ProviderHttp http = http();
    assertThatThrownBy(() -> post(http)).isInstanceOf(ApplicationFailure.class);
    server.route(
        "/token",
        call ->
            Reply.json(
                400,
                "{\"error\":\"invalid_grant\",\"error_description\":\"The request has an invalid"
                    + " grant parameter : refresh_token\"}"));

    assertThatThrownBy(() -> post(http))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("AuthFailed");
              assertThat(f.getOriginalMessage()).contains("invalid_grant");
            });
  }

  @Test
  void givenForbiddenForAnotherReason_whenProviderAnswers403_thenNoFreshTokenAndNoRetry() {
    issueTokens();
    acceptOnly(
        "never",
        "{\"errors\":[{\"code\":\"InvalidInput\",\"message\":\"The seller is not registered in"
            + " marketplace ATVPDKIKX0DER\"}]}");

    assertThatThrownBy(() -> post(http()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("HttpClientError"));
    assertThat(tokensIssued).hasValue(1);
    assertThat(server.calls("/reports")).hasSize(1);
  }
}
