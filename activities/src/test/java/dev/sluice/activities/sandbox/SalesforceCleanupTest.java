package dev.sluice.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.sandbox.SalesforceStats.JobSummary;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.workflows.activities.Messages.CleanupRequest;
import dev.sluice.workflows.activities.Messages.CleanupResult;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The source's abort and delete requests against Bulk API query jobs. */
class SalesforceCleanupTest {
  private static final SandboxConfig CONFIG =
      SandboxConfig.defaults().withContactRecords(10).withPollsBeforeReady(3);

  @TempDir Path dir;
  private SandboxFixture fixture;
  private AsyncHttpSource source;
  private Map<String, String> vars;
  private String requestId;

  @BeforeEach
  void submit() {
    fixture = SandboxFixture.start(CONFIG);
    source = SalesforceSource.contacts(fixture.baseUrl());
    requestId =
        fixture
            .activities
            .submit(
                new SubmitRequest(
                    "run-1", source, SalesforceSource.runVars(), "file://" + dir + "/receipt.json"))
            .requestId();
    vars = SalesforceSource.varsWith(requestId);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private String jobState() {
    return fixture.sandbox.salesforce().stats().jobs().stream()
        .filter(job -> job.id().equals(requestId))
        .map(JobSummary::state)
        .findFirst()
        .orElse("(gone)");
  }

  @Test
  void givenJobInProgress_whenAborted_thenSandboxJobIsAborted() {
    assertThat(fixture.activities.checkStatus(new StatusRequest(source, vars)).outcome())
        .isEqualTo(Outcome.PENDING);
    assertThat(jobState()).isEqualTo("InProgress");

    CleanupResult result = fixture.activities.abort(new CleanupRequest(source, vars));

    assertThat(result).isEqualTo(new CleanupResult(true, 200));
    assertThat(jobState()).isEqualTo("Aborted");
    assertThat(fixture.sandbox.salesforce().stats().aborts()).isEqualTo(1);
  }

  @Test
  void givenJobAlreadyAborted_whenAbortedAgain_thenNoFailureAndJobStaysAborted() {
    fixture.activities.checkStatus(new StatusRequest(source, vars));
    fixture.activities.abort(new CleanupRequest(source, vars));

    CleanupResult again = fixture.activities.abort(new CleanupRequest(source, vars));

    assertThat(again.sent()).isTrue();
    assertThat(again.httpStatus()).as("Salesforce refuses to abort a final job").isEqualTo(400);
    assertThat(jobState()).isEqualTo("Aborted");
    assertThat(fixture.sandbox.salesforce().stats().aborts()).isEqualTo(1);
  }

  @Test
  void givenJobComplete_whenAborted_thenNoFailureAndJobStaysComplete() {
    Outcome outcome;
    do {
      outcome = fixture.activities.checkStatus(new StatusRequest(source, vars)).outcome();
    } while (outcome == Outcome.PENDING);

    CleanupResult result = fixture.activities.abort(new CleanupRequest(source, vars));

    assertThat(result).isEqualTo(new CleanupResult(true, 400));
    assertThat(jobState()).isEqualTo("JobComplete");
  }

  @Test
  void givenJobComplete_whenDeleted_then204AndTheJobIsGone() {
    Outcome outcome;
    do {
      outcome = fixture.activities.checkStatus(new StatusRequest(source, vars)).outcome();
    } while (outcome == Outcome.PENDING);

    CleanupResult result = fixture.activities.delete(new CleanupRequest(source, vars));

    assertThat(result).isEqualTo(new CleanupResult(true, 204));
    assertThat(jobState()).isEqualTo("(gone)");
    assertThat(fixture.sandbox.salesforce().stats().deletes()).isEqualTo(1);
  }

  @Test
  void givenJobAlreadyDeleted_whenDeletedAgain_thenNoFailure() {
    fixture.sandbox.salesforce().pollsBeforeReady(1);
    fixture.activities.checkStatus(new StatusRequest(source, vars));
    fixture.activities.delete(new CleanupRequest(source, vars));

    CleanupResult again = fixture.activities.delete(new CleanupRequest(source, vars));

    assertThat(again).isEqualTo(new CleanupResult(true, 404));
    assertThat(fixture.sandbox.salesforce().stats().deletes()).isEqualTo(1);
  }
}
