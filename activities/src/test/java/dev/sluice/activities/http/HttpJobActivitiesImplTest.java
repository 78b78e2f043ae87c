package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.auth.MutableClock;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.TestServer.Reply;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.CleanupSpec;
import dev.sluice.pipeline.ExtractSpec;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.RequestIdSpec;
import dev.sluice.pipeline.RequestSpec;
import dev.sluice.pipeline.StatusSpec;
import dev.sluice.pipeline.SubmitSpec;
import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.CleanupRequest;
import dev.sluice.workflows.activities.Messages.CleanupResult;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.ReceiptRequest;
import dev.sluice.workflows.activities.Messages.ReceiptResult;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.StatusResult;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.SubmitResult;
import dev.sluice.workflows.activities.ServerPolls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpJobActivitiesImplTest {
  private final TestServer server = new TestServer();
  private final HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
  private final HttpJobActivitiesImpl activities =
      new HttpJobActivitiesImpl(
          new ProviderClients(
              new OkHttpClient(),
              new ObjectMapper(),
              new SecretResolver(name -> null, "w1"),
              new SimpleMeterRegistry(),
              new MutableClock(Instant.parse("2026-11-22T00:00:00Z"))),
          files);
  private final Map<String, String> vars =
      Map.of("runId", "ingest/contacts/2026-11-22", "requestId", "750R");

  @TempDir Path dir;

  @AfterEach
  void stop() {
    server.close();
  }

  private AsyncHttpSource source(RequestIdSpec requestId, CleanupSpec cleanup) {
    return new AsyncHttpSource(
        null,
        new SubmitSpec(
            null,
            server.url("/jobs"),
            Map.of("Idempotency-Key", "${runId}"),
            "{\"q\":\"x\"}",
            requestId),
        new StatusSpec(
            null,
            server.url("/jobs/${requestId}"),
            null,
            null,
            "^JobComplete$",
            "Failed|Aborted",
            "/errorMessage",
            null,
            null,
            null,
            null, null),
        new ExtractSpec(
            server.url("/jobs/${requestId}/results"),
            null,
            null,
            null,
            new PaginationSpec.HeaderLocator("Sforce-Locator", "locator", null, null, null, null),
            null,
            null, null),
        cleanup, null, null, null);
  }

  private SubmitRequest submitRequest(AsyncHttpSource source) {
    return new SubmitRequest("run-1", source, vars, "file://" + dir + "/jobs/run-1.json");
  }

  @Test
  void givenNoReceipt_whenSubmitted_thenRequestIdIsReturnedAndReceiptWritten() {
    server.route(
        "/jobs", call -> Reply.json(200, "{\"id\":\"750R\",\"state\":\"UploadComplete\"}"));

    SubmitResult result = activities.submit(submitRequest(source(null, null)));

    assertThat(result).isEqualTo(new SubmitResult("750R", false));
    assertThat(server.calls("/jobs").get(0).header("Idempotency-Key"))
        .isEqualTo("ingest/contacts/2026-11-22");
    assertThat(files.readString("file://" + dir + "/jobs/run-1.json"))
        .get()
        .asString()
        // A job's receipt is written as before closed receipts existed: a worker not yet
        // upgraded (its JSON reader refuses unknown fields) reads it.
        .isEqualTo(
            "{\"requestId\":\"750R\",\"submittedAt\":\"2026-11-22T00:00:00Z\",\"values\":null}");
  }

  @Test
  void givenReceiptFromEarlierAttempt_whenSubmitted_thenItIsReusedWithoutAnyRequest() {
    server.route("/jobs", call -> Reply.json(200, "{\"id\":\"750R\"}"));
    activities.submit(submitRequest(source(null, null)));

    SubmitResult again = activities.submit(submitRequest(source(null, null)));

    assertThat(again).isEqualTo(new SubmitResult("750R", true));
    assertThat(server.calls("/jobs")).hasSize(1);
  }

  @Test
  void givenReceiptWritten_whenAskedWhatWasSubmitted_thenItsJobAndValuesWithoutAnyRequest() {
    String uri = "file://" + dir + "/jobs/run-1.json";
    files.writeStringAtomically(
        uri,
        "{\"requestId\":\"750R\",\"submittedAt\":\"2026-11-22T00:00:00Z\","
            + "\"values\":{\"/token\":\"t-1\"}}");

    ReceiptResult receipt = activities.submitted(new ReceiptRequest(uri));

    assertThat(receipt).isEqualTo(new ReceiptResult("750R", Map.of("/token", "t-1")));
    assertThat(server.calls("/jobs")).isEmpty();
  }

  @Test
  void givenSubmitAnswered_whenAskedWhatWasSubmitted_thenTheReceiptItWroteNamesTheJob() {
    server.route("/jobs", call -> Reply.json(200, "{\"id\":\"750R\"}"));
    activities.submit(submitRequest(source(null, null)));

    ReceiptResult receipt =
        activities.submitted(new ReceiptRequest("file://" + dir + "/jobs/run-1.json"));

    assertThat(receipt.requestId()).isEqualTo("750R");
  }

  @Test
  void givenNoReceipt_whenAskedWhatWasSubmitted_thenNoJobAndTheReceiptIsClosedByTheRun() {
    ReceiptResult receipt = askWhatWasSubmitted();

    assertThat(receipt).isEqualTo(new ReceiptResult(null, null));
    assertThat(files.readString(receiptUri()))
        .get()
        .asString()
        .containsPattern("\"abandonedBy\":\"" + CLOSING_RUN + "\"")
        .contains("\"abandonedAt\":\"2026-11-22T00:00:00Z\"");
  }

  @Test
  void givenReceiptClosed_whenAskedAgain_thenStillNoJobAndTheClosedReceiptIsKept() {
    askWhatWasSubmitted();
    String closed = files.readString(receiptUri()).orElseThrow();

    assertThat(askWhatWasSubmitted()).isEqualTo(new ReceiptResult(null, null));
    assertThat(files.readString(receiptUri())).contains(closed);
  }

  @Test
  void givenSubmitAnsweredBeforeTheRunReadsTheReceipt_whenRead_thenItsJobAndTheReceiptStays() {
    server.route("/jobs", call -> Reply.json(200, "{\"id\":\"750R\"}"));
    activities.submit(submitRequest(source(null, abortable())));

    assertThat(askWhatWasSubmitted().requestId()).isEqualTo("750R");
    assertThat(activities.submit(submitRequest(source(null, abortable()))))
        .isEqualTo(new SubmitResult("750R", true));
    assertThat(server.calls("/jobs")).hasSize(1);
    assertThat(server.calls("/jobs/750R")).isEmpty();
  }

  @Test
  void givenReceiptClosed_whenAnAttemptStarts_thenItSendsNothingAndFailsNonRetryably() {
    server.route("/jobs", call -> Reply.json(200, "{\"id\":\"750R\"}"));
    askWhatWasSubmitted();

    assertThatThrownBy(() -> activities.submit(submitRequest(source(null, abortable()))))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            e -> {
              assertThat(e.getType()).isEqualTo(HttpJobActivitiesImpl.SUBMIT_ABANDONED);
              assertThat(e.isNonRetryable()).isTrue();
              assertThat(e.getOriginalMessage())
                  .matches(
                      "submit not sent: run "
                          + CLOSING_RUN
                          + " gave up on this submit at 2026-11-22T00:00:00Z \\(its submit receipt "
                          + java.util.regex.Pattern.quote(receiptUri())
                          + " is closed\\)");
            });
    assertThat(server.calls("/jobs")).isEmpty();
  }

  @Test
  void givenRunClosedReceiptWhileProviderAnswers_whenAnswerArrives_thenAttemptAbortsItsOwnJob()
      throws Exception {
    PausedAnswers provider = new PausedAnswers("750R");
    server.route("/jobs/750R", call -> Reply.json(200, "{}"));
    LateAttempt attempt = provider.submitInBackground(source(null, abortable()));
    provider.awaitRequest(0);

    assertThat(askWhatWasSubmitted()).isEqualTo(new ReceiptResult(null, null));
    provider.answer(0);

    assertThat(attempt.failure())
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            e -> {
              assertThat(e.getType()).isEqualTo(HttpJobActivitiesImpl.SUBMIT_ABANDONED);
              assertThat(e.isNonRetryable()).isTrue();
              assertThat(e.getOriginalMessage())
                  .containsPattern(
                      "^provider job 750R aborted: the provider accepted it after run "
                          + CLOSING_RUN
                          + " gave up on this submit");
            });
    assertThat(server.calls("/jobs/750R"))
        .singleElement()
        .satisfies(
            abort -> {
              assertThat(abort.method()).isEqualTo("PATCH");
              assertThat(abort.body()).isEqualTo("{\"state\":\"Aborted\"}");
            });
    assertThat(files.readString(receiptUri())).get().asString().contains("abandonedBy");
  }

  @Test
  void givenRunClosedReceiptWhileProviderAnswers_whenTheAbortFails_thenFailureNamesTheJobLeft()
      throws Exception {
    PausedAnswers provider = new PausedAnswers("750R");
    server.route("/jobs/750R", call -> Reply.json(403, "{\"message\":\"not yours\"}"));
    LateAttempt attempt = provider.submitInBackground(source(null, abortable()));
    provider.awaitRequest(0);
    askWhatWasSubmitted();
    provider.answer(0);

    assertThat(attempt.failure())
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            e -> {
              assertThat(e.getType()).isEqualTo(HttpJobActivitiesImpl.SUBMIT_ABANDONED);
              assertThat(e.isNonRetryable()).isTrue();
              assertThat(e.getOriginalMessage())
                  .startsWith("provider job 750R is left running: the provider accepted it after")
                  .contains(", and its abort failed: ")
                  .contains("403");
            });
  }

  @Test
  void givenTwoAttemptsAnswered_whenTheLaterReceiptLoses_thenItsTwinIsAbortedAndTheFirstUsed()
      throws Exception {
    PausedAnswers provider = new PausedAnswers("750R", "750S");
    server.route("/jobs/750R", call -> Reply.json(200, "{}"));
    server.route("/jobs/750S", call -> Reply.json(200, "{}"));
    // The first attempt timed out waiting for its answer; its retry is answered first.
    LateAttempt first = provider.submitInBackground(source(null, abortable()));
    provider.awaitRequest(0);
    provider.answer(1);
    SubmitResult retry = activities.submit(submitRequest(source(null, abortable())));
    provider.answer(0);

    assertThat(retry).isEqualTo(new SubmitResult("750S", false));
    assertThat(first.result()).isEqualTo(new SubmitResult("750S", true));
    assertThat(server.calls("/jobs/750R"))
        .singleElement()
        .extracting(TestServer.Call::method)
        .isEqualTo("PATCH");
    assertThat(server.calls("/jobs/750S")).isEmpty();
    assertThat(askWhatWasSubmitted().requestId()).isEqualTo("750S");
  }

  @Test
  void givenTwoAttemptsAnswered_whenTheTwinsAbortFails_thenTheFirstJobIsStillUsed()
      throws Exception {
    PausedAnswers provider = new PausedAnswers("750R", "750S");
    server.route("/jobs/750R", call -> Reply.json(500, "{\"message\":\"busy\"}"));
    LateAttempt first = provider.submitInBackground(source(null, abortable()));
    provider.awaitRequest(0);
    provider.answer(1);
    activities.submit(submitRequest(source(null, abortable())));
    provider.answer(0);

    assertThat(first.result()).isEqualTo(new SubmitResult("750S", true));
    assertThat(server.calls("/jobs/750R")).isNotEmpty();
  }

  @Test
  void givenTwoAttemptsGivenTheSameJob_whenTheLaterReceiptLoses_thenNothingIsAborted()
      throws Exception {
    PausedAnswers provider = new PausedAnswers("750R", "750R");
    server.route("/jobs/750R", call -> Reply.json(200, "{}"));
    LateAttempt first = provider.submitInBackground(source(null, abortable()));
    provider.awaitRequest(0);
    provider.answer(1);
    SubmitResult retry = activities.submit(submitRequest(source(null, abortable())));
    provider.answer(0);

    assertThat(retry).isEqualTo(new SubmitResult("750R", false));
    assertThat(first.result()).isEqualTo(new SubmitResult("750R", false));
    assertThat(server.calls("/jobs/750R")).isEmpty();
  }

  /** The run that closes receipts in these tests ({@link TestActivityEnvironment}'s), a regex. */
  private static final String CLOSING_RUN = "test-workflow-id/[0-9a-f-]{36}";

  private String receiptUri() {
    return "file://" + dir + "/jobs/run-1.json";
  }

  private CleanupSpec abortable() {
    return new CleanupSpec(
        new RequestSpec(
            "PATCH", server.url("/jobs/${requestId}"), null, "{\"state\":\"Aborted\"}"),
        null);
  }

  /** {@link HttpJobActivities#submitted} as the run's clean-up calls it: as an activity. */
  private ReceiptResult askWhatWasSubmitted() {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(activities);
      return env.newActivityStub(
              HttpJobActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(30))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build())
          .submitted(new ReceiptRequest(receiptUri()));
    } finally {
      env.close();
    }
  }

  /** A submit attempt running on another thread, as one the run no longer waits for. */
  private record LateAttempt(java.util.concurrent.CompletableFuture<SubmitResult> outcome) {
    SubmitResult result() throws Exception {
      return outcome.get(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    Throwable failure() throws Exception {
      try {
        outcome.get(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        return e.getCause();
      }
      throw new AssertionError("the attempt succeeded");
    }
  }

  /**
   * The provider's {@code POST /jobs}: the n-th request creates job {@code ids[n]} at once, and
   * its answer waits until the test releases it.
   */
  private final class PausedAnswers {
    private final String[] ids;
    private final java.util.concurrent.atomic.AtomicInteger requests =
        new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.CountDownLatch[] received;
    private final java.util.concurrent.CountDownLatch[] released;

    PausedAnswers(String... ids) {
      this.ids = ids;
      received = new java.util.concurrent.CountDownLatch[ids.length];
      released = new java.util.concurrent.CountDownLatch[ids.length];
      for (int i = 0; i < ids.length; i++) {
        received[i] = new java.util.concurrent.CountDownLatch(1);
        released[i] = new java.util.concurrent.CountDownLatch(1);
      }
      server.route(
          "/jobs",
          call -> {
            int n = requests.getAndIncrement();
            received[n].countDown();
            try {
              released[n].await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return Reply.json(200, "{\"id\":\"" + ids[n] + "\"}");
          });
    }

    LateAttempt submitInBackground(AsyncHttpSource source) {
      return new LateAttempt(
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> activities.submit(submitRequest(source))));
    }

    void awaitRequest(int n) throws InterruptedException {
      received[n].await();
    }

    void answer(int n) {
      released[n].countDown();
    }
  }

  @Test
  void givenReceiptNotJson_whenAskedWhatWasSubmitted_thenNonRetryableFailureNamingIt() {
    String uri = "file://" + dir + "/jobs/run-1.json";
    files.writeStringAtomically(uri, "{\"requestId\":\"750R\",");

    assertThatThrownBy(() -> activities.submitted(new ReceiptRequest(uri)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            e -> {
              assertThat(e.getType()).isEqualTo(HttpJobActivitiesImpl.RECEIPT_INVALID);
              assertThat(e.isNonRetryable()).isTrue();
              assertThat(e.getOriginalMessage())
                  .startsWith("submit receipt " + uri + " is not valid JSON: ");
            });
  }

  @Test
  void givenReceiptWithoutRequestId_whenAskedWhatWasSubmitted_thenNonRetryableFailureNamingIt() {
    String uri = "file://" + dir + "/jobs/run-1.json";
    files.writeStringAtomically(uri, "{\"submittedAt\":\"2026-11-22T00:00:00Z\"}");

    assertThatThrownBy(() -> activities.submitted(new ReceiptRequest(uri)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            e -> {
              assertThat(e.getType()).isEqualTo(HttpJobActivitiesImpl.RECEIPT_INVALID);
              assertThat(e.getOriginalMessage())
                  .isEqualTo("submit receipt " + uri + " names no request ID");
            });
  }

  @Test
  void givenIdInLocationHeader_whenSubmittedWithRegex_thenGroupOneIsTheId() {
    server.route("/jobs", call -> Reply.json(201, "{}").withHeader("Location", "/api/syncs/4711"));

    SubmitResult result =
        activities.submit(
            submitRequest(
                source(new RequestIdSpec("header", null, "Location", "/syncs/([0-9]+)$"), null)));

    assertThat(result.requestId()).isEqualTo("4711");
  }

  @Test
  void givenNoIdWhereTheSourceSays_whenSubmitted_thenRequestIdNotFoundWithSnippetAndNoReceipt() {
    server.route("/jobs", call -> Reply.json(200, "{\"jobId\":\"750R\"}"));

    assertThatThrownBy(() -> activities.submit(submitRequest(source(null, null))))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("RequestIdNotFound");
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage())
                  .contains("body field /id")
                  .contains("{\"jobId\":\"750R\"}");
            });
    assertThat(files.readString("file://" + dir + "/jobs/run-1.json")).isEmpty();
  }

  @Test
  void givenStatusValues_whenChecked_thenClassifiedByFailedWhenThenReadyWhen() {
    server.route("/jobs/750R", call -> Reply.json(200, "{\"state\":\"InProgress\"}"));
    assertThat(activities.checkStatus(new StatusRequest(source(null, null), vars)).outcome())
        .isEqualTo(Outcome.PENDING);

    server.route("/jobs/750R", call -> Reply.json(200, "{\"state\":\"JobComplete\"}"));
    assertThat(activities.checkStatus(new StatusRequest(source(null, null), vars)).outcome())
        .isEqualTo(Outcome.READY);

    server.route(
        "/jobs/750R",
        call -> Reply.json(200, "{\"state\":\"Failed\",\"errorMessage\":\"INVALID_FIELD: Foo\"}"));
    assertThat(activities.checkStatus(new StatusRequest(source(null, null), vars)))
        .isEqualTo(new StatusResult("Failed", Outcome.FAILED, "INVALID_FIELD: Foo", null, null));
  }

  @Test
  void givenPendingAnswerWithRetryAfter_whenPolledByTheServer_thenRetryableWithItsDelayAndState() {
    server.route(
        "/jobs/750R",
        call -> Reply.json(200, "{\"state\":\"InProgress\"}").withHeader("Retry-After", "120"));
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(activities);
      HttpJobActivities stub =
          env.newActivityStub(
              HttpJobActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(30))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      StatusRequest request = new StatusRequest(source(null, null), vars);

      assertThatThrownBy(() -> stub.checkUntilFinal(request))
          .rootCause()
          .isInstanceOfSatisfying(
              ApplicationFailure.class,
              f -> {
                assertThat(f.getType()).isEqualTo(ServerPolls.PENDING_TYPE);
                assertThat(f.isNonRetryable()).isFalse();
                assertThat(f.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(120));
                assertThat(f.getOriginalMessage()).contains("750R").contains("'InProgress'");
                assertThat(f.getDetails().get(ServerPolls.Pending.class))
                    .isEqualTo(new ServerPolls.Pending("InProgress", 1));
              });

      server.route("/jobs/750R", call -> Reply.json(200, "{\"state\":\"JobComplete\"}"));
      assertThat(stub.checkUntilFinal(request))
          .isEqualTo(
              new ServerPolls.Final(
                  new StatusResult("JobComplete", Outcome.READY, null, null, null), 1));
    } finally {
      env.close();
    }
  }

  @Test
  void givenNoStatusField_whenChecked_thenInvalidPipelineNamesThePointer() {
    server.route("/jobs/750R", call -> Reply.json(200, "{\"status\":\"done\"}"));

    assertThatThrownBy(() -> activities.checkStatus(new StatusRequest(source(null, null), vars)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("InvalidPipeline");
              assertThat(f.getOriginalMessage()).contains("/state").contains("\"status\":\"done\"");
            });
  }

  @Test
  void givenJobAlreadyGone_whenDeleted_thenSentWithoutFailure() {
    server.route("/jobs/750R", call -> Reply.json(404, "[{\"errorCode\":\"NOT_FOUND\"}]"));
    CleanupSpec cleanup =
        new CleanupSpec(
            null, new RequestSpec("DELETE", server.url("/jobs/${requestId}"), null, null));

    CleanupResult result = activities.delete(new CleanupRequest(source(null, cleanup), vars));

    assertThat(result).isEqualTo(new CleanupResult(true, 404));
    assertThat(server.calls("/jobs/750R").get(0).method()).isEqualTo("DELETE");
  }

  @Test
  void givenNoAbortRequest_whenAborted_thenNothingIsSent() {
    assertThat(activities.abort(new CleanupRequest(source(null, null), vars)))
        .isEqualTo(new CleanupResult(false, 0));
  }

  @Test
  void givenTwoCsvPages_whenExtractedInActivity_thenParquetIsStagedAndCounted() {
    server.route(
        "/jobs/750R/results",
        call ->
            call.query() == null
                ? Reply.of(200, "text/csv", "Id,Name\n1,Ada\n2,Grace\n")
                    .withHeader("Sforce-Locator", "p2")
                : Reply.of(200, "text/csv", "Id,Name\n3,Alan\n")
                    .withHeader("Sforce-Locator", "null"));
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(activities);
      HttpJobActivities stub =
          env.newActivityStub(
              HttpJobActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofSeconds(30))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      ParquetSink sink = new ParquetSink("file://" + dir + "/table", null, null, null, null, null);

      ExtractResult result =
          stub.extract(
              new ExtractRequest(
                  "run-1", source(null, null), vars, sink, "file://" + dir + "/staging", null));

      assertThat(result.rows()).isEqualTo(3);
      assertThat(result.pages()).isEqualTo(2);
      assertThat(result.files()).isNotEmpty();
      assertThat(dir.resolve("staging").resolve(result.files().get(0))).exists();
    } finally {
      env.close();
    }
  }
}
