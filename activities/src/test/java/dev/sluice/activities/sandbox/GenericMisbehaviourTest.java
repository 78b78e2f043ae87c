package dev.sluice.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.sandbox.GenericExportEmulator;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.StatusResult;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Providers that misbehave in ways no retry cures, against the generic export emulation through
 * the real activity: each fails at once or after a few tries, naming the page and its URL with the
 * query, instead of paging for ever or being retried for minutes.
 */
class GenericMisbehaviourTest {
  private static final SandboxConfig CONFIG = SandboxConfig.defaults().withPollsBeforeReady(1);

  @TempDir Path dir;
  private SandboxFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  /** Extracts {@code style}'s 200 events in pages of 20 with {@code knobs} set once ready. */
  private ApplicationFailure failureOf(
      GenericSource style, String query, Consumer<GenericExportEmulator> knobs) {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = style.source(fixture.baseUrl(), 20, 200, query);
    String requestId =
        fixture
            .activities
            .submit(new SubmitRequest("run-1", source, Map.of(), "file://" + dir + "/receipt.json"))
            .requestId();
    StatusResult status =
        fixture.activities.checkStatus(new StatusRequest(source, Map.of("requestId", requestId)));
    assertThat(status.outcome()).isEqualTo(Outcome.READY);
    knobs.accept(fixture.sandbox.generic());
    ActivityFailure failure;
    try (ExtractEnvironment env = new ExtractEnvironment(fixture.activities)) {
      failure =
          catchThrowableOfType(
              ActivityFailure.class,
              () ->
                  env.extract(
                      new ExtractRequest(
                          "run-1",
                          source,
                          Map.of("requestId", requestId),
                          GenericSource.sink("file://" + dir + "/table", "128MB", 1000),
                          "file://" + dir + "/staging",
                          null)));
    }
    assertThat(failure).as("the extract must fail").isNotNull();
    assertThat(failure.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) failure.getCause();
  }

  private long dataRequests() {
    return fixture.sandbox.generic().stats().requests("export-data");
  }

  @Test
  void givenCursorCycle_whenExtracted_thenPaginationLoopAfterOneRound() {
    ApplicationFailure failure =
        failureOf(GenericSource.cursor(), "", generic -> generic.loopBackAfterPage(3));

    assertThat(failure.getType()).isEqualTo(FailureType.PAGINATION_LOOP.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("page 4: GET http://127.0.0.1:")
        .contains("/data?cursor=")
        .contains("was already read in this run");
    assertThat(dataRequests()).isEqualTo(3);
  }

  @Test
  void givenNextUrlLoop_whenExtracted_thenPaginationLoopAfterOneRound() {
    ApplicationFailure failure =
        failureOf(GenericSource.nextUrl(), "", generic -> generic.loopBackAfterPage(3));

    assertThat(failure.getType()).isEqualTo(FailureType.PAGINATION_LOOP.type());
    assertThat(failure.getOriginalMessage()).startsWith("page 4:").contains("/data?offset=20");
    assertThat(dataRequests()).isEqualTo(3);
  }

  @Test
  void givenProviderIgnoringThePageParameter_whenExtracted_thenPaginationLoopOnPage2() {
    ApplicationFailure failure =
        failureOf(GenericSource.page(20), "", generic -> generic.ignorePageParameter(true));

    assertThat(failure.getType()).isEqualTo(FailureType.PAGINATION_LOOP.type());
    assertThat(failure.getOriginalMessage())
        .startsWith("page 2:")
        .contains("page=2")
        .contains("the provider ignores the page parameter");
    assertThat(dataRequests()).isEqualTo(2);
  }

  @Test
  void givenTruncatedGzipDownload_whenExtracted_thenCorruptBodyAfterFourTries() {
    ApplicationFailure failure =
        failureOf(
            GenericSource.unpaged("csv"), "?gzip=true", generic -> generic.truncatedGzip(true));

    assertThat(failure.getType()).isEqualTo(FailureType.CORRUPT_BODY.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("page 1: GET http://127.0.0.1:")
        .contains("/data?gzip=true");
    assertThat(dataRequests()).isEqualTo(4);
  }

  @Test
  void givenBodyShorterThanItsContentLengthOnEveryRequest_whenExtracted_thenCorruptBody() {
    ApplicationFailure failure =
        failureOf(
            GenericSource.offset("csv", 20), "", generic -> generic.dropEvery("export-data", 1));

    assertThat(failure.getType()).isEqualTo(FailureType.CORRUPT_BODY.type());
    assertThat(failure.getOriginalMessage())
        .startsWith("page 1:")
        .contains("?limit=20&offset=0")
        .contains("the body broke off after");
    assertThat(dataRequests()).isEqualTo(4);
  }

  @Test
  void givenRedirectLoop_whenExtracted_thenRedirectLoopWithoutRetrying() {
    ApplicationFailure failure =
        failureOf(GenericSource.offset("json", 20), "", generic -> generic.redirectLoop(true));

    assertThat(failure.getType()).isEqualTo(FailureType.REDIRECT_LOOP.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("page 1: GET http://127.0.0.1:")
        .contains("?limit=20&offset=0 is redirected in a loop");
    assertThat(dataRequests()).as("one try: 20 redirects followed, then given up").isEqualTo(21);
  }
}
