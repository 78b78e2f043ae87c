package dev.sluice.activities.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.AuthSpec;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.Test;

class AuthenticatorsTest {
  private final Authenticators authenticators =
      new Authenticators(
          new OAuthTokens(
              new OkHttpClient(),
              new ObjectMapper(),
              new TokenCache(Clock.systemUTC()),
              Clock.systemUTC()),
          new SecretResolver(Map.of("PW", "pa55", "TOKEN", "tok", "KEY", "k")::get, "w1"));
  private final Request request = new Request.Builder().url("https://api.example.com/x").build();

  @Test
  void givenBasic_whenApplied_thenAuthorizationCarriesResolvedCredentials() {
    Request out =
        authenticators
            .forSpec(new AuthSpec.Basic("ada", "${env:PW}"))
            .authenticate(request);

    assertThat(out.header("Authorization")).isEqualTo(okhttp3.Credentials.basic("ada", "pa55"));
  }

  @Test
  void givenBearer_whenApplied_thenAuthorizationIsBearerToken() {
    Request out =
        authenticators
            .forSpec(new AuthSpec.Bearer("${env:TOKEN}"))
            .authenticate(request);

    assertThat(out.header("Authorization")).isEqualTo("Bearer tok");
  }

  @Test
  void givenApiKey_whenApplied_thenDefaultHeaderCarriesKey() {
    Authenticator auth =
        authenticators.forSpec(new AuthSpec.ApiKey(null, "${env:KEY}"));

    assertThat(auth.authenticate(request).header("X-API-Key")).isEqualTo("k");
    assertThat(auth.refreshAfterUnauthorized(request)).isFalse();
  }

  @Test
  void givenNone_whenApplied_thenRequestIsUnchanged() {
    assertThat(authenticators.forSpec(AuthSpec.NONE).authenticate(request)).isSameAs(request);
  }

  @Test
  void givenMissingField_whenBuilt_thenInvalidPipeline() {
    // An unknown type no longer gets this far: it does not deserialise (AuthSpecJsonTest).
    assertThatThrownBy(() -> authenticators.forSpec(new AuthSpec.Bearer(null)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("InvalidPipeline");
              assertThat(f.getOriginalMessage()).contains("needs 'token'");
            });
  }
}
