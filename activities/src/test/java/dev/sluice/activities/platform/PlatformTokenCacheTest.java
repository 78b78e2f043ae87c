package dev.sluice.activities.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.auth.MutableClock;
import dev.sluice.activities.http.ProviderClients;
import dev.sluice.activities.platform.FakePlatform.Reply;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.PlatformConnectionSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A worker's IMS tokens belong to the exact credentials that obtained them. */
class PlatformTokenCacheTest {
  private final FakePlatform platform = new FakePlatform();
  private final MutableClock clock = new MutableClock(Instant.parse("2024-05-01T00:00:00Z"));
  /** One worker, hosting pipelines with the right and a wrong secret, and one token cache. */
  private final ProviderClients worker =
      new ProviderClients(
          new OkHttpClient(),
          new ObjectMapper(),
          new SecretResolver(Map.of("RIGHT", "right", "WRONG", "wrong")::get, "w"),
          new SimpleMeterRegistry(),
          clock);

  @AfterEach
  void stop() {
    platform.close();
  }

  @Test
  void givenTokenCachedForOneSecret_whenAnotherPipelineUsesAWrongSecret_thenItIsRefused() {
    platform.route(
        "POST",
        "/ims/token/v3",
        c ->
            c.text().contains("client_secret=right")
                ? Reply.json(200, "{\"access_token\":\"t\",\"expires_in\":3600}")
                : Reply.json(401, "{\"error\":\"invalid_client\"}"));
    platform.route(
        "GET", "/data/foundation/catalog/batches/B1", c -> Reply.json(200, "{\"status\":\"ok\"}"));
    getBatch(session("${env:RIGHT}"));

    assertThatThrownBy(() -> getBatch(session("${env:WRONG}")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("AuthFailed"));
    assertThat(platform.calls("POST", "/ims/token/v3")).hasSize(2);
  }

  @Test
  void givenSameCredentials_whenTwoSessionsCall_thenTheyShareOneToken() {
    platform.route(
        "POST",
        "/ims/token/v3",
        c -> Reply.json(200, "{\"access_token\":\"t\",\"expires_in\":3600}"));
    platform.route(
        "GET", "/data/foundation/catalog/batches/B1", c -> Reply.json(200, "{\"status\":\"ok\"}"));

    getBatch(session("${env:RIGHT}"));
    getBatch(session("${env:RIGHT}"));

    assertThat(platform.calls("POST", "/ims/token/v3")).hasSize(1);
  }

  private static void getBatch(PlatformSession session) {
    session.getJson(session.connection.url("catalog", "batches", "B1").build());
  }

  private PlatformSession session(String secretReference) {
    return new PlatformSession(
        new PlatformConnectionSpec(
            platform.url("/data/foundation"),
            null,
            platform.url("/ims/token/v3"),
            "client-1",
            secretReference,
            null,
            null,
            null,
            null,
            "ORG@AdobeOrg",
            null,
            null),
        worker);
  }
}
