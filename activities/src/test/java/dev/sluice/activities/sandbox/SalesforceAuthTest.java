package dev.sluice.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.sandbox.SalesforceStats;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OAuth2 client credentials against the sandbox's token endpoint and Bulk API. */
class SalesforceAuthTest {
  private static final SandboxConfig CONFIG = SandboxConfig.defaults().withContactRecords(120);

  @TempDir Path dir;
  private SandboxFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private SubmitRequest submitRequest(AsyncHttpSource source) {
    return new SubmitRequest(
        "run-1", source, SalesforceSource.runVars(), "file://" + dir + "/jobs/run-1.json");
  }

  @Test
  void givenOneWorker_whenSubmitPollAndExtract_thenOneTokenIsFetchedAndReusedByEveryCall() {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl(), 50);

    String requestId = fixture.activities.submit(submitRequest(source)).requestId();
    Map<String, String> vars = SalesforceSource.varsWith(requestId);
    Outcome outcome;
    do {
      outcome = fixture.activities.checkStatus(new StatusRequest(source, vars)).outcome();
    } while (outcome == Outcome.PENDING);
    ExtractResult result;
    try (ExtractEnvironment env = new ExtractEnvironment(fixture.activities)) {
      result =
          env.extract(
              new ExtractRequest(
                  "run-1",
                  source,
                  vars,
                  SalesforceSource.sink("file://" + dir + "/table", "128MB", 10),
                  "file://" + dir + "/staging",
                  null));
    }

    SalesforceStats stats = fixture.sandbox.salesforce().stats();
    assertThat(outcome).isEqualTo(Outcome.READY);
    assertThat(result.rows()).isEqualTo(120);
    assertThat(stats.resultPagesServed()).as("pages").isEqualTo(3);
    assertThat(stats.tokenGrants()).as("tokens fetched").isEqualTo(1);
    assertThat(stats.unauthorizedResponses()).as("401 answers").isZero();
  }

  @Test
  void givenTokensRevoked_whenNextCall_thenItIsRefusedOnceRefreshesOnceAndSucceeds() {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl());
    String requestId = fixture.activities.submit(submitRequest(source)).requestId();
    Map<String, String> vars = SalesforceSource.varsWith(requestId);

    fixture.sandbox.salesforce().revokeTokens();
    Outcome afterRevoke = fixture.activities.checkStatus(new StatusRequest(source, vars)).outcome();
    Outcome next = fixture.activities.checkStatus(new StatusRequest(source, vars)).outcome();

    SalesforceStats stats = fixture.sandbox.salesforce().stats();
    assertThat(afterRevoke).isEqualTo(Outcome.PENDING);
    assertThat(next).isEqualTo(Outcome.READY);
    assertThat(stats.unauthorizedResponses()).as("401 answers").isEqualTo(1);
    assertThat(stats.tokenGrants()).as("tokens fetched: first, then one refresh").isEqualTo(2);
    assertThat(stats.statusPolls()).as("polls served").isEqualTo(2);
  }

  @Test
  void
      givenWrongClientSecret_whenSubmitting_thenNonRetryableAuthFailedWithEndpointTextButNoSecret() {
    String wrongSecret = "not-the-sandbox-secret-3f9a";
    fixture =
        SandboxFixture.startWithEnvironment(
            CONFIG, Map.of("SF_CLIENT_ID", CONFIG.clientId(), "SF_CLIENT_SECRET", wrongSecret));
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl());

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> fixture.activities.submit(submitRequest(source)));

    assertThat(failure).as("submit must fail").isNotNull();
    assertThat(failure.getType()).isEqualTo(FailureType.AUTH_FAILED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("invalid_client")
        .contains("invalid client credentials")
        .doesNotContain(wrongSecret)
        .doesNotContain(CONFIG.clientSecret());
    assertThat(failure.getDetails().getSize()).as("no details to leak the secret through").isZero();
    assertThat(fixture.sandbox.salesforce().stats().jobsCreated()).isZero();
    assertThat(fixture.files.readString("file://" + dir + "/jobs/run-1.json")).isEmpty();
  }
}
