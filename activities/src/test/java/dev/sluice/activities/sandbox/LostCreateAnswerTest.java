package dev.sluice.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.activities.http.HttpClients;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.SubmitSpec;
import dev.sluice.sandbox.GenericStats;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.SubmitResult;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A submit whose answer is lost: the provider created the job, then the connection closed before a
 * byte of the answer ({@code loseAnswers}). The real activity runs on the worker's own HTTP client
 * ({@link HttpClients#forWorker()}), which must not send the create again by itself: the attempt
 * fails retryably, and Temporal's retry is a new attempt, called here as Temporal calls it (same
 * request, same variables).
 */
class LostCreateAnswerTest {
  private static final SandboxConfig CONFIG = SandboxConfig.defaults().withContactRecords(10);

  @TempDir Path dir;
  private SandboxFixture fixture;

  @BeforeEach
  void start() {
    fixture = SandboxFixture.start(CONFIG, HttpClients.forWorker());
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private SubmitRequest submit(String run, AsyncHttpSource source, Map<String, String> vars) {
    return new SubmitRequest(run, source, vars, "file://" + dir + "/" + run + "/receipt.json");
  }

  private ApplicationFailure failedAttempt(SubmitRequest request) {
    return catchThrowableOfType(() -> fixture.activities.submit(request), ApplicationFailure.class);
  }

  /**
   * Another run's export first: the worker's client then holds a pooled connection to the API, as
   * a long-running worker does (OkHttp re-sends only on a reused connection).
   */
  private void earlierRunOn(AsyncHttpSource source) {
    fixture.activities.submit(submit("run-0", source, Map.of("idempotencyKey", "run-0")));
  }

  private List<String> exportIds() {
    return fixture.sandbox.generic().stats().exports().stream()
        .map(GenericStats.ExportSummary::id)
        .toList();
  }

  @Test
  void givenExportCreateAnswerLost_whenSubmitted_thenSentOnceAndTheAttemptFailsRetryably() {
    AsyncHttpSource source = GenericSource.cursor().source(fixture.baseUrl(), 40, 100);
    earlierRunOn(source);
    fixture.sandbox.generic().loseAnswers("export-create", 1);

    ApplicationFailure failure = failedAttempt(submit("run-1", source, Map.of()));

    assertThat(failure).as("the lost answer fails the attempt").isNotNull();
    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(exportIds()).as("run-0's export and the one whose answer was lost").hasSize(2);
  }

  @Test
  void givenExportCreateAnswerLostAndIdempotencyKeySent_whenRetried_thenOneExportForTheRun() {
    AsyncHttpSource source =
        withSubmitHeader(
            GenericSource.cursor().source(fixture.baseUrl(), 40, 100),
            "Idempotency-Key",
            "${idempotencyKey}");
    earlierRunOn(source);
    fixture.sandbox.generic().loseAnswers("export-create", 1);
    SubmitRequest request =
        submit("run-1", source, Map.of("idempotencyKey", "ingest/generic-events/2026-11-22/r1"));

    ApplicationFailure lost = failedAttempt(request);
    String lostExport = exportIds().get(1);
    SubmitResult retried = fixture.activities.submit(request);

    assertThat(lost).isNotNull();
    assertThat(lost.isNonRetryable()).isFalse();
    assertThat(retried).isEqualTo(new SubmitResult(lostExport, false));
    assertThat(exportIds()).as("run-0's export and run-1's, once").hasSize(2);
  }

  /**
   * Bulk API 2.0 takes no idempotency key, and its job listing does not show a job's query, so a
   * retry cannot tell the lost job from any other: it creates a second one. This pins that
   * limitation (docs/concepts/non-idempotent-requests.md); the HTTP client must still not add a
   * third job, nor turn the loss into a success.
   */
  @Test
  void
      givenQueryJobCreateAnswerLost_whenSubmitted_thenSentOncePerAttemptAndTheRetryMakesASecondJob() {
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl());
    fixture.sandbox.salesforce().loseAnswers("create", 1);
    SubmitRequest request = submit("run-1", source, SalesforceSource.runVars());

    ApplicationFailure lost = failedAttempt(request);
    long afterLoss = fixture.sandbox.salesforce().stats().jobsCreated();
    String lostJob = fixture.sandbox.salesforce().stats().jobs().get(0).id();
    SubmitResult retried = fixture.activities.submit(request);

    assertThat(lost).as("the lost answer fails the attempt").isNotNull();
    assertThat(lost.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(lost.isNonRetryable()).isFalse();
    assertThat(afterLoss).as("one job per attempt").isEqualTo(1);
    assertThat(retried.requestId()).isNotEqualTo(lostJob);
    assertThat(fixture.sandbox.salesforce().stats().jobsCreated()).isEqualTo(2);
  }

  private static AsyncHttpSource withSubmitHeader(
      AsyncHttpSource source, String name, String value) {
    SubmitSpec submit = source.submit();
    Map<String, String> headers = new HashMap<>(submit.headers());
    headers.put(name, value);
    return new AsyncHttpSource(
        source.auth(),
        new SubmitSpec(submit.method(), submit.url(), headers, submit.body(), submit.requestId()),
        source.status(),
        source.extract(),
        source.cleanup(), null, null, null);
  }
}
