package dev.sluice.sandbox;

import static dev.sluice.sandbox.SandboxClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {

  private static SandboxServer sandbox;
  private static SandboxClient client;
  private String token;

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.start(SandboxConfig.defaults());
    client = new SandboxClient(sandbox.baseUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void resetAndAuthenticate() throws Exception {
    sandbox.salesforce().reset();
    token = client.token();
  }

  @Test
  void givenResultsThrottled_whenFetching_then429WithRetryAfterUntilCountUsedUp() throws Exception {
    String jobId = completedJob();
    sandbox.salesforce().throttle("results", 2, 429, 7);

    HttpResponse<String> first = client.results(token, jobId, "");
    HttpResponse<String> second = client.results(token, jobId, "");
    HttpResponse<String> third = client.results(token, jobId, "");

    assertThat(first.statusCode()).isEqualTo(429);
    assertThat(first.headers().firstValue("Retry-After")).hasValue("7");
    assertThat(json(first).get(0).get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(third.statusCode()).isEqualTo(200);
  }

  @Test
  void givenTokenEndpointUnavailable_whenRequestingToken_then503WithRetryAfter() throws Exception {
    sandbox.salesforce().throttle("token", 1, 503, 2);

    HttpResponse<String> response =
        client.postForm(
            "/services/oauth2/token",
            "grant_type=client_credentials&client_id=sluice-sandbox-client&client_secret=sluice-sandbox-secret");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
    assertThat(client.token()).isNotBlank();
  }

  @Test
  void givenResultsDropped_whenFetching_thenConnectionBreaksMidBodyAndNextRequestSucceeds()
      throws Exception {
    String jobId = completedJob();
    sandbox.salesforce().dropConnections("results", 1);

    assertThatThrownBy(() -> client.results(token, jobId, "")).isInstanceOf(IOException.class);

    HttpResponse<String> retry = client.results(token, jobId, "");
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(retry.headers().firstValue("Sforce-NumberOfRecords")).hasValue("1000");
  }

  @Test
  void givenCreateAnswerLost_whenCreatingJob_thenJobExistsButNoAnswerArrives() throws Exception {
    sandbox.salesforce().loseAnswers("create", 1);

    assertThatThrownBy(() -> client.createJobId(token, "SELECT Id FROM Contact"))
        .isInstanceOf(IOException.class);

    assertThat(sandbox.salesforce().stats().jobsCreated()).isEqualTo(1);
    assertThat(sandbox.salesforce().stats().jobs()).hasSize(1);
  }

  @Test
  void givenLoseAnswersOverHttp_whenCreatingJob_thenServedWithoutAnswer() throws Exception {
    HttpResponse<String> knobs =
        client.postJson(
            "/sandbox/salesforce/knobs",
            "{\"loseAnswers\":{\"kind\":\"create\",\"count\":1}}");

    assertThat(knobs.statusCode()).isEqualTo(204);
    assertThatThrownBy(() -> client.createJobId(token, "SELECT Id FROM Contact"))
        .isInstanceOf(IOException.class);
    assertThat(client.createJobId(token, "SELECT Id FROM Contact")).isNotBlank();
    assertThat(sandbox.salesforce().stats().jobsCreated()).isEqualTo(2);
  }

  @Test
  void givenThrottleEveryThird_whenFetching_thenEveryThirdRequestThrottledAndAllCounted()
      throws Exception {
    String jobId = completedJob();
    sandbox.salesforce().throttleEvery("results", 3, 429, 0);

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      statuses.add(client.results(token, jobId, "?maxRecords=1").statusCode());
    }

    assertThat(statuses).containsExactly(200, 200, 429, 200, 200, 429);
    assertThat(sandbox.salesforce().stats().requests("results")).isEqualTo(6);
    assertThat(sandbox.salesforce().stats().resultPagesServed()).isEqualTo(4);
  }

  @Test
  void givenRequestBeforeRetryAfterPassed_whenFetched_thenCountedInsideTheWindow()
      throws Exception {
    String jobId = completedJob();
    sandbox.salesforce().throttle("results", 1, 503, 30);

    client.results(token, jobId, "?maxRecords=1");
    client.results(token, jobId, "?maxRecords=1");

    assertThat(sandbox.salesforce().stats().requestsInsideRetryAfter()).isEqualTo(1);
  }

  @Test
  void givenDropEveryRequest_whenFetching_thenNoBodyEverArrivesWhole() throws Exception {
    String jobId = completedJob();
    sandbox.salesforce().dropEvery("results", 1);

    assertThatThrownBy(() -> client.results(token, jobId, "")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> client.results(token, jobId, "")).isInstanceOf(IOException.class);
  }

  @Test
  void givenPassThenTrickle_whenFetching_thenOnlyTheSecondBodyIsSlowAndStaysOpen()
      throws Exception {
    String jobId = completedJob();
    sandbox.salesforce().pass("results", 1);
    sandbox.salesforce().trickle("results", 1, 20);

    long start = System.nanoTime();
    client.results(token, jobId, "?maxRecords=1");
    long firstMillis = (System.nanoTime() - start) / 1_000_000;
    CompletableFuture<HttpResponse<String>> slow =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return client.results(token, jobId, "?maxRecords=1");
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            });
    Thread.sleep(500);
    int openWhileTrickling = sandbox.salesforce().stats().openResponses();
    HttpResponse<String> response = slow.get(30, TimeUnit.SECONDS);

    assertThat(firstMillis).isLessThan(1000);
    assertThat(openWhileTrickling).isEqualTo(1);
    assertThat(response.statusCode()).isEqualTo(200);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (sandbox.salesforce().stats().openResponses() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(sandbox.salesforce().stats().openResponses()).isZero();
  }

  @Test
  void givenRepeatLocator_whenFetchingWithALocator_thenTheSameLocatorComesBack() throws Exception {
    String jobId = completedJob();
    sandbox.salesforce().repeatLocator(true);

    String next =
        client.results(token, jobId, "?maxRecords=10").headers().firstValue("Sforce-Locator").get();
    HttpResponse<String> second = client.results(token, jobId, "?maxRecords=10&locator=" + next);

    assertThat(second.headers().firstValue("Sforce-Locator")).hasValue(next);
  }

  @Test
  void givenUnknownEndpointKind_whenThrottling_thenRejected() {
    assertThatThrownBy(() -> sandbox.salesforce().throttle("exports", 1, 429, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exports");
  }

  private String completedJob() throws Exception {
    String jobId = client.createJobId(token, "SELECT Id, Description FROM Contact");
    client.awaitComplete(token, jobId);
    return jobId;
  }
}
