package dev.sluice.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.activities.http.ExtractCheckpoint;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.sandbox.ContactData;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A connection dropped in the middle of a download, and the retried attempt that resumes from the
 * last heartbeated checkpoint, as Temporal would hand it over.
 */
class SalesforceResumeTest {
  private static final int CONTACTS = 500;
  private static final int PAGE = 40;
  private static final int PAGES = 13; // ceil(500 / 40)
  private static final SandboxConfig CONFIG =
      SandboxConfig.defaults().withContactRecords(CONTACTS).withPollsBeforeReady(1);

  @TempDir Path dir;
  private SandboxFixture fixture;
  private AsyncHttpSource source;
  private ExtractRequest request;

  @BeforeEach
  void submitAndWait() {
    fixture = SandboxFixture.start(CONFIG);
    source = SalesforceSource.contacts(fixture.baseUrl(), PAGE);
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
    request =
        new ExtractRequest(
            "run-1",
            source,
            vars,
            SalesforceSource.sink("file://" + dir + "/table", "16KB", 20),
            "file://" + dir + "/staging",
            "SystemModstamp");
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void
      givenAttemptFailsAfterFirstCheckpoint_whenRetriedFromIt_thenEveryRowOnceAndNoCompletedPageRefetched() {
    ExtractCheckpoint checkpoint;
    long pagesServedByFirstAttempt;
    try (ExtractEnvironment first = new ExtractEnvironment(fixture.activities)) {
      AtomicBoolean armed = new AtomicBoolean();
      // The first checkpoint reaches us before the next page is requested: refuse that page for
      // longer than an attempt waits in place (a dropped page is simply asked for again).
      first.onHeartbeat(
          c -> {
            if (armed.compareAndSet(false, true)) {
              fixture.sandbox.salesforce().throttle("results", 1, 503, 90);
            }
          });

      ActivityFailure failed =
          catchThrowableOfType(ActivityFailure.class, () -> first.extract(request));

      assertThat(failed).as("the first attempt must fail on the refused page").isNotNull();
      assertThat(failed.getCause()).isInstanceOf(ApplicationFailure.class);
      ApplicationFailure cause = (ApplicationFailure) failed.getCause();
      assertThat(cause.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
      assertThat(cause.isNonRetryable()).isFalse();
      checkpoint = first.heartbeats().get(0);
      pagesServedByFirstAttempt = fixture.sandbox.salesforce().stats().resultPagesServed();
    }
    assertThat(checkpoint.pages()).as("pages in completed files").isBetween(1, PAGES - 2);
    assertThat(checkpoint.writer().files()).isNotEmpty();
    assertThat(pagesServedByFirstAttempt)
        .as("pages served to the first attempt: the checkpointed ones, and one fetched ahead")
        .isBetween((long) checkpoint.pages(), checkpoint.pages() + 1L);

    ExtractResult result;
    try (ExtractEnvironment retry = new ExtractEnvironment(fixture.activities)) {
      retry.resumeFrom(checkpoint);
      result = retry.extract(request);
    }

    long pagesServedToRetry =
        fixture.sandbox.salesforce().stats().resultPagesServed() - pagesServedByFirstAttempt;
    assertThat(pagesServedToRetry)
        .as("pages fetched by the retry")
        .isEqualTo(PAGES - checkpoint.pages());
    assertThat(result.pages()).isEqualTo(PAGES);
    assertThat(result.files()).startsWith(checkpoint.writer().files().toArray(String[]::new));
    assertThat(dir.resolve("staging").toFile().list())
        .as("nothing of the failed attempt's unfinished file is left")
        .containsExactlyInAnyOrderElementsOf(result.files());
    List<Map<String, Object>> rows = StagedFiles.rows(dir.resolve("staging"), result.files());
    assertThat(result.rows()).isEqualTo(CONTACTS);
    assertThat(rows).isEqualTo(ExpectedRows.contacts(CONFIG.seed(), 0, CONTACTS));
    assertThat(result.maxWatermark())
        .isEqualTo(ContactData.row(CONFIG.seed(), CONTACTS - 1).get("SystemModstamp"));
  }

  @Test
  void givenCheckpointAfterLastPage_whenRetried_thenNoPageIsFetchedAndTheFilesAreKept() {
    ExtractResult done;
    List<ExtractCheckpoint> heartbeats;
    try (ExtractEnvironment first = new ExtractEnvironment(fixture.activities)) {
      done = first.extract(request);
      heartbeats = first.heartbeats();
    }
    long served = fixture.sandbox.salesforce().stats().resultPagesServed();
    // A worker that died between its last page and reporting completion leaves this checkpoint.
    ExtractCheckpoint afterLastPage =
        new ExtractCheckpoint(
            null,
            PAGES,
            new WriterState(
                done.files(),
                done.rows(),
                done.bytes(),
                done.maxWatermark(),
                heartbeats.get(0).writer().schema()),
            heartbeats.get(heartbeats.size() - 1).history());

    ExtractResult again;
    try (ExtractEnvironment retry = new ExtractEnvironment(fixture.activities)) {
      retry.resumeFrom(afterLastPage);
      again = retry.extract(request);
    }

    assertThat(fixture.sandbox.salesforce().stats().resultPagesServed()).isEqualTo(served);
    assertThat(again.files()).isEqualTo(done.files());
    assertThat(again.rows()).isEqualTo(CONTACTS);
    assertThat(StagedFiles.rows(dir.resolve("staging"), again.files()))
        .isEqualTo(ExpectedRows.contacts(CONFIG.seed(), 0, CONTACTS));
  }
}
