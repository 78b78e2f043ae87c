package dev.sluice.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.pipeline.AsyncHttpSource;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the activities classify Salesforce's refusals: throttled and unavailable versus wrong. */
class SalesforceThrottlingTest {
  private static final SandboxConfig CONFIG = SandboxConfig.defaults().withContactRecords(10);

  @TempDir Path dir;
  private SandboxFixture fixture;

  @BeforeEach
  void start() {
    fixture = SandboxFixture.start(CONFIG);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private String submit(AsyncHttpSource source) {
    return fixture
        .activities
        .submit(
            new SubmitRequest(
                "run-1", source, SalesforceSource.runVars(), "file://" + dir + "/receipt.json"))
        .requestId();
  }

  private ApplicationFailure statusFailure(AsyncHttpSource source, String requestId) {
    return catchThrowableOfType(
        ApplicationFailure.class,
        () ->
            fixture.activities.checkStatus(
                new StatusRequest(source, SalesforceSource.varsWith(requestId))));
  }

  @Test
  void givenStatusThrottledWith429_whenChecked_thenRetryableHttpTransientAfterRetryAfter() {
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl());
    String requestId = submit(source);
    fixture.sandbox.salesforce().throttle("status", 1, 429, 17);

    ApplicationFailure failure = statusFailure(source, requestId);

    assertThat(failure).as("the throttled check must fail").isNotNull();
    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(17));
    assertThat(failure.getOriginalMessage()).contains("429").contains("REQUEST_LIMIT_EXCEEDED");
    // The throttle is spent: the retry Temporal would make goes through.
    assertThat(
            fixture
                .activities
                .checkStatus(new StatusRequest(source, SalesforceSource.varsWith(requestId)))
                .outcome())
        .isEqualTo(Outcome.PENDING);
  }

  @Test
  void givenStatusUnavailableWith503_whenChecked_thenRetryableHttpTransientAfterRetryAfter() {
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl());
    String requestId = submit(source);
    fixture.sandbox.salesforce().throttle("status", 1, 503, 4);

    ApplicationFailure failure = statusFailure(source, requestId);

    assertThat(failure).as("the unavailable check must fail").isNotNull();
    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(4));
    assertThat(failure.getOriginalMessage()).contains("503").contains("SERVER_UNAVAILABLE");
  }

  @Test
  void
      givenUnknownFieldInSoql_whenSubmitted_thenNonRetryableHttpClientErrorWithSalesforceBodyAndNoReceipt() {
    AsyncHttpSource source = SalesforceSource.selecting(fixture.baseUrl(), "Id, Shoe_Size");

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> submit(source));

    assertThat(failure).as("the submit must fail").isNotNull();
    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_CLIENT_ERROR.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("400")
        .contains("\"errorCode\":\"INVALIDJOB\"")
        .contains("No such column 'Shoe_Size' on entity 'Contact'");
    assertThat(fixture.sandbox.salesforce().stats().jobsCreated()).isZero();
    assertThat(fixture.files.readString("file://" + dir + "/receipt.json")).isEmpty();
  }

  @Test
  void givenCreateThrottled_whenSubmitted_thenRetryableAndNoReceiptSoTheRetrySubmits() {
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl());
    fixture.sandbox.salesforce().throttle("create", 1, 429, 2);

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> submit(source));
    String requestId = submit(source);

    assertThat(failure).as("the throttled submit must fail").isNotNull();
    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(fixture.sandbox.salesforce().stats().jobs())
        .singleElement()
        .satisfies(job -> assertThat(job.id()).isEqualTo(requestId));
  }

  private ExtractRequest resultsReady(AsyncHttpSource source, String requestId) {
    fixture.sandbox.salesforce().pollsBeforeReady(1);
    fixture.activities.checkStatus(new StatusRequest(source, SalesforceSource.varsWith(requestId)));
    return new ExtractRequest(
        "run-1",
        source,
        SalesforceSource.varsWith(requestId),
        SalesforceSource.sink("file://" + dir + "/table", "128MB", 10),
        "file://" + dir + "/staging",
        null);
  }

  @Test
  void givenResultsThrottledWithRetryAfter_whenExtracted_thenThePageIsAskedAgainAfterItInPlace() {
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl());
    String requestId = submit(source);
    ExtractRequest request = resultsReady(source, requestId);
    fixture.sandbox.salesforce().throttle("results", 1, 429, 1);

    ExtractResult result;
    try (ExtractEnvironment env = new ExtractEnvironment(fixture.activities)) {
      result = env.extract(request);
    }

    assertThat(result.rows()).isEqualTo(10);
    var stats = fixture.sandbox.salesforce().stats();
    assertThat(stats.requests("results")).isEqualTo(2);
    assertThat(stats.requestsInsideRetryAfter()).as("nothing sent inside the window").isZero();
  }

  @Test
  void givenResultsThrottledLongerThanAnAttemptWaits_whenExtracted_thenRetryableAfterRetryAfter() {
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl(), 5);
    String requestId = submit(source);
    ExtractRequest request = resultsReady(source, requestId);
    fixture.sandbox.salesforce().throttle("results", 1, 429, 90);

    ActivityFailure failure;
    try (ExtractEnvironment env = new ExtractEnvironment(fixture.activities)) {
      failure = catchThrowableOfType(ActivityFailure.class, () -> env.extract(request));
    }

    assertThat(failure).as("the throttled extract must fail").isNotNull();
    assertThat(failure.getCause())
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            cause -> {
              assertThat(cause.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
              assertThat(cause.isNonRetryable()).isFalse();
              assertThat(cause.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(90));
              assertThat(cause.getOriginalMessage()).startsWith("page 1: GET http://127.0.0.1:");
              assertThat(cause.getOriginalMessage())
                  .contains("/results?maxRecords=5 answered HTTP 429");
            });
    assertThat(dir.resolve("staging").toFile().list()).as("nothing staged").isEmpty();
  }

  @Test
  void
      givenTokenEndpointThrottledWithRetryAfter_whenSubmitting_thenRetryableHttpTransientAfterRetryAfter() {
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl());
    fixture.sandbox.salesforce().throttle("token", 1, 429, 30);

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> submit(source));

    assertThat(failure).as("the submit must fail").isNotNull();
    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("429").contains("temporarily_unavailable");
    assertThat(failure.getNextRetryDelay())
        .as("the token endpoint's Retry-After, as for every other provider answer")
        .isEqualTo(Duration.ofSeconds(30));
  }
}
