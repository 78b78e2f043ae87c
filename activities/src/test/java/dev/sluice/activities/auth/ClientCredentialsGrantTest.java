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
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OAuth2 client-credentials grant, fetched and cached by {@link OAuthTokens}. */
class ClientCredentialsGrantTest {
  private final TestServer server = new TestServer();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
  private final OkHttpClient client = new OkHttpClient();
  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final Authenticators authenticators =
      new Authenticators(
          new OAuthTokens(client, new ObjectMapper(), new TokenCache(clock), clock),
          new SecretResolver(Map.of("SECRET", "shh-123", "WRONG", "guess")::get, "w1"));

  @AfterEach
  void stop() {
    server.close();
  }

  private AuthSpec spec(Duration defaultTtl) {
    return spec("${env:SECRET}", "api", defaultTtl);
  }

  private AuthSpec spec(String secret, String scope, Duration defaultTtl) {
    return new AuthSpec.OAuth2ClientCredentials(
        server.url("/token"), "client-1", secret, scope, Duration.ofSeconds(60), defaultTtl);
  }

  private void issueTokens(String expiresIn) {
    server.route(
        "/token",
        call -> {
          int n = tokensIssued.incrementAndGet();
          return Reply.json(200, "{\"access_token\":\"t" + n + "\"" + expiresIn + "}");
        });
  }

  private void acceptOnly(String token) {
    server.route(
        "/data",
        call ->
            ("Bearer " + token).equals(call.header("Authorization"))
                ? Reply.json(200, "{}")
                : Reply.json(401, "[{\"errorCode\":\"INVALID_SESSION_ID\"}]"));
  }

  private int get(AuthSpec spec) {
    ProviderHttp http =
        new ProviderHttp(
            client,
            authenticators.forSpec(spec),
            new HttpMetrics(new SimpleMeterRegistry()),
            clock);
    try (Response response = http.execute(new Request.Builder().url(server.url("/data")).build())) {
      return response.code();
    }
  }

  @Test
  void givenCachedToken_whenRequestsRepeat_thenTokenIsFetchedOnceWithTheClientCredentials() {
    issueTokens(",\"expires_in\":3600");
    acceptOnly("t1");

    get(spec(null));
    get(spec(null));

    assertThat(tokensIssued).hasValue(1);
    TestServer.Call tokenCall = server.calls("/token").get(0);
    assertThat(tokenCall.method()).isEqualTo("POST");
    assertThat(tokenCall.body())
        .contains("grant_type=client_credentials")
        .contains("client_id=client-1")
        .contains("client_secret=shh-123")
        .contains("scope=api");
  }

  @Test
  void givenTokenNearExpiry_whenRequested_thenItIsRefreshedBeforeItExpires() {
    issueTokens(",\"expires_in\":120");
    acceptOnly("t1");
    get(spec(null));

    clock.advance(Duration.ofSeconds(59));
    get(spec(null));
    assertThat(tokensIssued).hasValue(1);

    acceptOnly("t2");
    clock.advance(Duration.ofSeconds(2)); // 61s in: within refreshBefore (60s) of expiry
    get(spec(null));
    assertThat(tokensIssued).hasValue(2);
  }

  @Test
  void givenNoExpiresIn_whenDefaultTtlPasses_thenTokenIsRefreshed() {
    issueTokens("");
    acceptOnly("t1");
    get(spec(Duration.ofMinutes(15)));

    acceptOnly("t2");
    clock.advance(Duration.ofMinutes(14));
    get(spec(Duration.ofMinutes(15)));

    assertThat(tokensIssued).hasValue(2);
  }

  @Test
  void givenTokenRevoked_whenProviderAnswers401_thenRequestIsRetriedOnceWithAFreshToken() {
    issueTokens(",\"expires_in\":3600");
    acceptOnly("t2");

    assertThat(get(spec(null))).isEqualTo(200);
    assertThat(tokensIssued).hasValue(2);
    assertThat(server.calls("/data")).hasSize(2);
  }

  @Test
  void givenFreshTokenAlsoRejected_whenProviderAnswers401Twice_thenAuthFailed() {
    issueTokens(",\"expires_in\":3600");
    acceptOnly("never");

    assertThatThrownBy(() -> get(spec(null)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("AuthFailed");
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage()).contains("INVALID_SESSION_ID");
            });
    assertThat(server.calls("/data")).hasSize(2);
  }

  @Test
  void givenRejectedClient_whenTokenIsFetched_thenAuthFailedWithEndpointErrorAndNoSecret() {
    server.route(
        "/token",
        call ->
            Reply.json(400, "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}"));

    assertThatThrownBy(() -> get(spec(null)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("AuthFailed");
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .contains("invalid_client (bad secret)")
                  .doesNotContain("shh-123");
            });
  }

  @Test
  void givenTokenEndpointDown_whenTokenIsFetched_thenRetryableTransient() {
    server.route("/token", call -> Reply.json(503, "{}"));

    assertThatThrownBy(() -> get(spec(null)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("HttpTransient");
              assertThat(f.isNonRetryable()).isFalse();
            });
  }

  @Test
  void givenTokenCachedForOneSecret_whenSameClientUsesAWrongSecret_thenItGetsNoTokenOfTheOther() {
    server.route(
        "/token",
        call -> {
          if (!call.body().contains("client_secret=shh-123")) {
            return Reply.json(401, "{\"error\":\"invalid_client\"}");
          }
          int n = tokensIssued.incrementAndGet();
          return Reply.json(200, "{\"access_token\":\"t" + n + "\",\"expires_in\":3600}");
        });
    acceptOnly("t1");
    assertThat(get(spec(null))).isEqualTo(200);

    assertThatThrownBy(() -> get(spec("${env:WRONG}", "api", null)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("AuthFailed"));
    assertThat(server.calls("/token")).hasSize(2);
  }

  @Test
  void givenTokenCachedForOneScope_whenSameClientAsksAnotherScope_thenItFetchesItsOwnToken() {
    issueTokens(",\"expires_in\":3600");
    acceptOnly("t1");
    get(spec("${env:SECRET}", "api", null));

    acceptOnly("t2");
    assertThat(get(spec("${env:SECRET}", "admin", null))).isEqualTo(200);

    assertThat(tokensIssued).hasValue(2);
    assertThat(server.calls("/data")).hasSize(2); // no 401 from offering the other scope's token
    assertThat(server.calls("/token").get(1).body()).contains("scope=admin");
  }
}
