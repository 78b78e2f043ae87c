package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.activities.auth.Authenticator;
import dev.sluice.activities.auth.MutableClock;
import dev.sluice.activities.http.TestServer.Reply;
import dev.sluice.workflows.activities.FailureType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The worker's HTTP client never sends a request that may create something a second time on its
 * own: a lost answer reaches the activity as a retryable failure, and the activity's retry (a new
 * attempt) decides what to do. Requests go through {@link ProviderHttp}, as every activity's do.
 */
class HttpClientsTest {
  private static final MediaType JSON = MediaType.get("application/json");

  private final TestServer server = new TestServer();
  private final ProviderHttp http =
      new ProviderHttp(
          HttpClients.forWorker(),
          Authenticator.NONE,
          new HttpMetrics(new SimpleMeterRegistry()),
          new MutableClock(Instant.parse("2026-11-22T00:00:00Z")));

  @AfterEach
  void stop() {
    server.close();
  }

  /**
   * A request earlier on the same host leaves a pooled connection, as a worker's shared client
   * always has one: OkHttp's own retry applies only to a reused connection.
   */
  private void warmUp() {
    server.route("/warm", call -> Reply.json(200, "{}"));
    try (Response response = http.execute(new Request.Builder().url(server.url("/warm")).build())) {
      assertThat(response.code()).isEqualTo(200);
    }
  }

  private static Request post(String url) {
    return new Request.Builder()
        .url(url)
        .post(RequestBody.create("{\"dataset\":\"events\"}", JSON))
        .build();
  }

  @Test
  void givenConnectionLostBeforeAnswer_whenPosting_thenSentOnceAndTheFailureIsRetryable() {
    warmUp();
    AtomicInteger creates = new AtomicInteger();
    server.route(
        "/exports",
        call ->
            creates.incrementAndGet() == 1 ? Reply.hangUp() : Reply.json(202, "{\"id\":\"2\"}"));

    ApplicationFailure failure =
        catchThrowableOfType(
            () -> http.execute(post(server.url("/exports"))).close(), ApplicationFailure.class);

    assertThat(failure).as("the lost answer reaches the activity").isNotNull();
    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(server.calls("/exports")).as("sent once, not again by the client").hasSize(1);
  }

  @Test
  void
      givenAPooledConnectionTheServerClosed_whenGetting_thenSentAgainOnANewConnectionAndAnswered() {
    warmUp();
    AtomicInteger pages = new AtomicInteger();
    server.route(
        "/page", call -> pages.incrementAndGet() == 1 ? Reply.hangUp() : Reply.json(200, "[]"));

    try (Response response = http.execute(new Request.Builder().url(server.url("/page")).build())) {
      assertThat(response.code()).isEqualTo(200);
    }
    assertThat(server.calls("/page"))
        .as("once on the closed connection, once on a new one")
        .hasSize(2);
  }

  @Test
  void
      givenConnectionLostBeforeAnswerOnANewConnectionToo_whenGetting_thenRetryableFailureForTheActivity() {
    warmUp();
    server.route("/page", call -> Reply.hangUp());

    ApplicationFailure failure =
        catchThrowableOfType(
            () -> http.execute(new Request.Builder().url(server.url("/page")).build()).close(),
            ApplicationFailure.class);

    assertThat(failure).isNotNull();
    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(failure.isNonRetryable()).as("the activity retries the page").isFalse();
    assertThat(failure.getOriginalMessage()).startsWith("GET http://127.0.0.1:");
    assertThat(server.calls("/page")).as("no more than once again").hasSize(2);
  }

  @Test
  void givenServiceUnavailableWithRetryAfterZero_whenPosting_thenSentOnceAndRetryable() {
    AtomicInteger creates = new AtomicInteger();
    server.route(
        "/exports",
        call ->
            creates.incrementAndGet() == 1
                ? Reply.json(503, "{}").withHeader("Retry-After", "0")
                : Reply.json(202, "{\"id\":\"2\"}"));

    ApplicationFailure failure =
        catchThrowableOfType(
            () -> http.execute(post(server.url("/exports"))).close(), ApplicationFailure.class);

    assertThat(failure).as("the 503 reaches the activity").isNotNull();
    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(server.calls("/exports")).as("not repeated by the client").hasSize(1);
  }

  @Test
  void givenTemporaryRedirect_whenPosting_thenTheBodyIsSentOnceToTheNewLocation() {
    server.route("/old", call -> Reply.json(307, "").withHeader("Location", "/new"));
    server.route("/new", call -> Reply.json(202, "{\"id\":\"1\"}"));

    try (Response response = http.execute(post(server.url("/old")))) {
      assertThat(response.code()).isEqualTo(202);
    }

    assertThat(server.calls("/old")).hasSize(1);
    assertThat(server.calls("/new"))
        .singleElement()
        .satisfies(
            call -> {
              assertThat(call.method()).isEqualTo("POST");
              assertThat(call.body()).isEqualTo("{\"dataset\":\"events\"}");
            });
  }
}
