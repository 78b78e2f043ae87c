package dev.sluice.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.activities.http.ExtractCheckpoint;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.sandbox.SalesforceStats;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flaky Salesforce Bulk API 2.0 results against the emulation, through the real
 * activity: transient faults while results are fetched cost the faulty request only, never the
 * pages already read; a worker stopped mid-page resumes at that page; a provider that hardly sends
 * anything is cut off by the page deadline or a cancel, its connection closed.
 */
class SalesforceFlakyResultsTest {
  @TempDir Path dir;
  private SandboxFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** A ready job over {@code contacts} rows, fetched in pages of {@code page}. */
  private ExtractRequest readyJob(int contacts, int page, Duration pageTimeout, Duration interval) {
    fixture =
        SandboxFixture.start(
            SandboxConfig.defaults().withContactRecords(contacts).withPollsBeforeReady(1));
    AsyncHttpSource source =
        Sources.withExtract(
            SalesforceSource.contacts(fixture.baseUrl(), page), pageTimeout, interval);
    String requestId =
        fixture
            .activities
            .submit(
                new SubmitRequest(
                    "run-1", source, SalesforceSource.runVars(), "file://" + dir + "/receipt.json"))
            .requestId();
    Map<String, String> vars = SalesforceSource.varsWith(requestId);
    assertThat(fixture.activities.checkStatus(new StatusRequest(source, vars)).outcome())
        .isEqualTo(Outcome.READY);
    return new ExtractRequest(
        "run-1",
        source,
        vars,
        SalesforceSource.sink("file://" + dir + "/table", "128MB", 20),
        "file://" + dir + "/staging",
        "SystemModstamp");
  }

  private ExtractResult extractInOneAttempt(ExtractRequest request) {
    try (ExtractEnvironment env = new ExtractEnvironment(fixture.activities)) {
      return env.extract(request);
    }
  }

  private void assertEveryRowOnce(ExtractResult result, int contacts) {
    assertThat(result.rows()).isEqualTo(contacts);
    assertThat(StagedFiles.rows(dir.resolve("staging"), result.files()))
        .isEqualTo(ExpectedRows.contacts(fixture.config.seed(), 0, contacts));
  }

  private SalesforceStats stats() {
    return fixture.sandbox.salesforce().stats();
  }

  @Test
  void givenEverySecondResultsRequestCutMidBody_whenExtracted_thenOneAttemptReadsEveryRowOnce() {
    ExtractRequest request = readyJob(4000, 200, null, null);
    fixture.sandbox.salesforce().dropEvery("results", 2);

    ExtractResult result = extractInOneAttempt(request);

    assertThat(result.pages()).isEqualTo(20);
    assertEveryRowOnce(result, 4000);
    assertThat(stats().requests("results"))
        .as("each page after the first cut once, then read whole: no restart from page 1")
        .isEqualTo(39);
  }

  @Test
  void givenRateLimitsEvery7thRequestAnd503Burst_whenExtracted_thenEveryRowOnceAndNoneEarly() {
    ExtractRequest request = readyJob(5000, 250, null, null);
    fixture.sandbox.salesforce().throttleEvery("results", 7, 429, 1);
    fixture.sandbox.salesforce().pass("results", 9);
    fixture.sandbox.salesforce().throttle("results", 3, 503, 1);

    ExtractResult result = extractInOneAttempt(request);

    assertThat(result.pages()).isEqualTo(20);
    assertEveryRowOnce(result, 5000);
    assertThat(stats().resultPagesServed()).as("no page served twice").isEqualTo(20);
    assertThat(stats().requests("results")).isGreaterThan(20 + 3);
    assertThat(stats().requestsInsideRetryAfter())
        .as("no request inside an announced Retry-After window")
        .isZero();
  }

  @Test
  void givenWorkerStoppedOnPage7Of12_whenTheNextAttemptResumes_thenItStartsAtPage7()
      throws Exception {
    ExtractRequest request = readyJob(1200, 100, null, Duration.ZERO);
    // Pages 1-6 at once, then page 7 one byte per second: the attempt is stuck in it.
    fixture.sandbox.salesforce().pass("results", 6);
    fixture.sandbox.salesforce().trickle("results", 1, 1);

    ExtractCheckpoint resumeFrom;
    Throwable stopped;
    Duration stoppedAfter;
    try (ExtractEnvironment first =
        new ExtractEnvironment(fixture.activities, Duration.ofSeconds(4))) {
      CompletableFuture<ExtractResult> attempt =
          CompletableFuture.supplyAsync(() -> first.extract(request));
      await(() -> !first.heartbeats().isEmpty() && last(first.heartbeats()).pages() == 6);
      await(() -> stats().openResponses() == 1);

      long cancelledAt = System.nanoTime();
      first.cancel();
      stopped = catchThrowable(() -> attempt.get(20, TimeUnit.SECONDS));
      stoppedAfter = Duration.ofNanos(System.nanoTime() - cancelledAt);
      resumeFrom = last(first.heartbeats());
    }
    await(() -> stats().openResponses() == 0);
    long requestsBefore = stats().requests("results");

    ExtractResult result;
    try (ExtractEnvironment retry = new ExtractEnvironment(fixture.activities)) {
      retry.resumeFrom(resumeFrom);
      result = retry.extract(request);
    }

    assertThat(stopped).as("the stuck attempt ends").isNotNull();
    assertThat(stoppedAfter)
        .as("its thread is free within seconds")
        .isLessThan(Duration.ofSeconds(10));
    assertThat(stats().openResponses()).as("its connection is closed").isZero();
    assertThat(resumeFrom.pages()).isEqualTo(6);
    assertThat(resumeFrom.writer().rows()).as("pages 1-6 durably staged").isEqualTo(600);
    assertThat(stats().requests("results") - requestsBefore)
        .as("results requests of the new attempt: pages 7 to 12")
        .isEqualTo(6);
    assertThat(result.pages()).isEqualTo(12);
    assertEveryRowOnce(result, 1200);
  }

  @Test
  void givenPageSentOneByteASecond_whenItMissesThePageDeadline_thenPageTooSlowNamingItAndHowSlow()
      throws InterruptedException {
    ExtractRequest request = readyJob(300, 100, Duration.ofSeconds(1), null);
    fixture.sandbox.salesforce().pass("results", 2);
    fixture.sandbox.salesforce().trickle("results", 2, 1);

    long started = System.nanoTime();
    ActivityFailure failure =
        catchThrowableOfType(ActivityFailure.class, () -> extractInOneAttempt(request));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(failure).isNotNull();
    assertThat(failure.getCause())
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            cause -> {
              assertThat(cause.getType()).isEqualTo(FailureType.PAGE_TOO_SLOW.type());
              assertThat(cause.isNonRetryable()).isTrue();
              assertThat(cause.getOriginalMessage())
                  .startsWith("page 3: GET http://127.0.0.1:")
                  .contains("/results?maxRecords=100&locator=")
                  .contains("did not arrive within extract.pageTimeout (1s)")
                  .contains("B/s)");
            });
    assertThat(took).isLessThan(Duration.ofSeconds(15));
    await(() -> stats().openResponses() == 0);
    assertThat(stats().openResponses()).isZero();
    assertThat(dir.resolve("staging").toFile().list()).as("nothing staged").isEmpty();
  }

  private static ExtractCheckpoint last(List<ExtractCheckpoint> heartbeats) {
    return heartbeats.get(heartbeats.size() - 1);
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 20s");
      }
      Thread.sleep(20);
    }
  }
}
