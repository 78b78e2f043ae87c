package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.activities.auth.Authenticator;
import dev.sluice.activities.auth.MutableClock;
import dev.sluice.activities.http.TestServer.Reply;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProviderHttpTest {
  private final TestServer server = new TestServer();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
  private final ProviderHttp http =
      new ProviderHttp(new OkHttpClient(), Authenticator.NONE, new HttpMetrics(registry), clock);

  @AfterEach
  void stop() {
    server.close();
  }

  private ApplicationFailure failureOf(Reply reply) {
    server.route("/x", call -> reply);
    Request request = new Request.Builder().url(server.url("/x?api_key=hidden")).build();
    try (Response response = http.execute(request)) {
      throw new AssertionError("expected a failure, got HTTP " + response.code());
    } catch (ApplicationFailure f) {
      return f;
    }
  }

  @Test
  void givenClientError_whenExecuted_thenNonRetryableWithProviderBodyAndQueryButNoSecret() {
    ApplicationFailure f = failureOf(Reply.json(400, "{\"errorCode\":\"INVALIDJOB\"}"));

    assertThat(f.getType()).isEqualTo("HttpClientError");
    assertThat(f.isNonRetryable()).isTrue();
    assertThat(f.getOriginalMessage())
        .contains("GET http://127.0.0.1:")
        .contains("/x?api_key=*** answered HTTP 400")
        .contains("INVALIDJOB")
        .doesNotContain("hidden");
  }

  @Test
  void givenLongErrorBody_whenExecuted_thenMessageIsTruncated() {
    ApplicationFailure f = failureOf(Reply.of(404, "text/plain", "x".repeat(10_000)));

    assertThat(f.getOriginalMessage().length()).isLessThan(1200);
  }

  @Test
  void givenServerErrorWithRetryAfterSeconds_whenExecuted_thenRetryableWithThatDelay() {
    ApplicationFailure f = failureOf(Reply.json(503, "{}").withHeader("Retry-After", "7"));

    assertThat(f.getType()).isEqualTo("HttpTransient");
    assertThat(f.isNonRetryable()).isFalse();
    assertThat(f.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void givenTooManyRequestsWithRetryAfterDate_whenExecuted_thenDelayRunsToThatDate() {
    ApplicationFailure f =
        failureOf(Reply.json(429, "{}").withHeader("Retry-After", "Sun, 22 Nov 2026 00:02:00 GMT"));

    assertThat(f.getType()).isEqualTo("HttpTransient");
    assertThat(f.getNextRetryDelay()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void givenRequestTimeout_whenExecuted_thenRetryableWithoutDelay() {
    ApplicationFailure f = failureOf(Reply.json(408, "{}"));

    assertThat(f.getType()).isEqualTo("HttpTransient");
    assertThat(f.getNextRetryDelay()).isNull();
  }

  @Test
  void givenStaticCredentialsRejected_whenExecuted_thenAuthFailedWithoutRetry() {
    ApplicationFailure f = failureOf(Reply.json(401, "{\"error\":\"bad key\"}"));

    assertThat(f.getType()).isEqualTo("AuthFailed");
    assertThat(server.calls("/x")).hasSize(1);
  }

  @Test
  void givenNothingListening_whenExecuted_thenRetryableTransient() {
    String url = server.url("/x");
    server.close();

    assertThatThrownBy(() -> http.execute(new Request.Builder().url(url).build()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("HttpTransient");
              assertThat(f.isNonRetryable()).isFalse();
            });
  }

  @Test
  void givenAcceptedStatus_whenExecuted_thenResponseIsReturned() {
    server.route("/x", call -> Reply.json(404, "{}"));

    try (Response response =
        http.execute(new Request.Builder().url(server.url("/x")).build(), s -> s == 404)) {
      assertThat(response.code()).isEqualTo(404);
    }
  }

  @Test
  void givenResponses_whenExecuted_thenTheyAreCountedByStatusClassAndHost() {
    server.route("/x", call -> Reply.json(200, "{}"));
    http.execute(new Request.Builder().url(server.url("/x")).build()).close();
    http.execute(new Request.Builder().url(server.url("/x")).build()).close();

    assertThat(
            registry
                .get("sluice.http.responses")
                .tag("provider", "127.0.0.1")
                .tag("status", "2xx")
                .counter()
                .count())
        .isEqualTo(2.0);
  }
}
