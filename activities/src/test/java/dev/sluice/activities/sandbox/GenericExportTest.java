package dev.sluice.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.activities.http.ExtractCheckpoint;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.StatusResult;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.SubmitResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generic async export API end to end: every paging style and format it offers, the derived
 * request ID, a failed export, gzip file downloads and corrupt pages.
 */
class GenericExportTest {
  private static final SandboxConfig CONFIG = SandboxConfig.defaults().withPollsBeforeReady(2);
  private static final int PAGE = 40;

  @TempDir Path dir;
  private SandboxFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private String submitAndWait(AsyncHttpSource source) {
    String requestId =
        fixture
            .activities
            .submit(new SubmitRequest("run-1", source, Map.of(), "file://" + dir + "/receipt.json"))
            .requestId();
    StatusResult status;
    int polls = 0;
    do {
      status = fixture.activities.checkStatus(new StatusRequest(source, vars(requestId)));
    } while (status.outcome() == Outcome.PENDING && ++polls < 10);
    assertThat(status.outcome()).as("export state %s", status.state()).isEqualTo(Outcome.READY);
    return requestId;
  }

  private static Map<String, String> vars(String requestId) {
    return Map.of("requestId", requestId);
  }

  private ExtractRequest extractRequest(
      AsyncHttpSource source, String requestId, ParquetSink sink) {
    return new ExtractRequest(
        "run-1", source, vars(requestId), sink, "file://" + dir + "/staging", "created_at");
  }

  static Stream<Arguments> pagedSources() {
    // 250 events in pages of 40: six full pages and a short seventh.
    return Stream.of(
        Arguments.of(GenericSource.nextUrl(), 7),
        Arguments.of(GenericSource.cursor(), 7),
        Arguments.of(GenericSource.page(PAGE), 7),
        Arguments.of(GenericSource.offset("json", PAGE), 7),
        Arguments.of(GenericSource.offset("ndjson", PAGE), 7),
        Arguments.of(GenericSource.offset("csv", PAGE), 7),
        Arguments.of(GenericSource.unpaged("json"), 1),
        Arguments.of(GenericSource.unpaged("ndjson"), 1),
        Arguments.of(GenericSource.unpaged("csv"), 1));
  }

  @ParameterizedTest(
      name = "given {0}, when extracted, then every event once in {1} page(s), typed")
  @MethodSource("pagedSources")
  void givenPagingStyleAndFormat_whenExtracted_thenEveryEventLandsOnceTypedInOrder(
      GenericSource style, int pages) {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = style.source(fixture.baseUrl(), PAGE, 250);
    String requestId = submitAndWait(source);

    ExtractResult result;
    try (ExtractEnvironment env = new ExtractEnvironment(fixture.activities)) {
      result =
          env.extract(
              extractRequest(
                  source,
                  requestId,
                  GenericSource.sink("file://" + dir + "/table", "128MB", 1000)));
    }

    assertThat(result.pages()).isEqualTo(pages);
    assertThat(fixture.sandbox.generic().stats().dataPagesServed()).isEqualTo(pages);
    assertThat(result.rows()).isEqualTo(250);
    assertThat(StagedFiles.rows(dir.resolve("staging"), result.files()))
        .isEqualTo(ExpectedRows.events(CONFIG.seed(), 0, 250));
    assertThat(result.maxWatermark()).isEqualTo("2026-01-01T04:09:00Z");
  }

  @Test
  void givenPageStyleAndExactMultipleOfPageSize_whenExtracted_thenTheEmptyPageAfterEndsIt() {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = GenericSource.page(PAGE).source(fixture.baseUrl(), PAGE, 4 * PAGE);
    String requestId = submitAndWait(source);

    ExtractResult result;
    try (ExtractEnvironment env = new ExtractEnvironment(fixture.activities)) {
      result =
          env.extract(
              extractRequest(
                  source,
                  requestId,
                  GenericSource.sink("file://" + dir + "/table", "128MB", 1000)));
    }

    assertThat(result.pages()).as("four full pages, then an empty one").isEqualTo(5);
    assertThat(StagedFiles.rows(dir.resolve("staging"), result.files()))
        .isEqualTo(ExpectedRows.events(CONFIG.seed(), 0, 4 * PAGE));
  }

  @Test
  void givenSubmitAnswersWithStatusUri_whenSubmitted_thenRequestIdIsTheNumberAtItsEnd() {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = GenericSource.cursor().source(fixture.baseUrl(), PAGE, 10);

    SubmitResult result =
        fixture.activities.submit(
            new SubmitRequest("run-1", source, Map.of(), "file://" + dir + "/receipt.json"));

    String exportId = fixture.sandbox.generic().stats().exports().get(0).id();
    assertThat(exportId).matches("[0-9]+");
    assertThat(result).isEqualTo(new SubmitResult(exportId, false));
  }

  @Test
  void givenExportFails_whenPolled_thenFailedWithProviderMessageFromErrorMessage() {
    fixture = SandboxFixture.start(CONFIG);
    fixture.sandbox.generic().fail("quota exceeded for dataset events");
    AsyncHttpSource source = GenericSource.cursor().source(fixture.baseUrl(), PAGE, 10);
    String requestId =
        fixture
            .activities
            .submit(new SubmitRequest("run-1", source, Map.of(), "file://" + dir + "/receipt.json"))
            .requestId();

    StatusResult first = fixture.activities.checkStatus(new StatusRequest(source, vars(requestId)));
    StatusResult second =
        fixture.activities.checkStatus(new StatusRequest(source, vars(requestId)));

    assertThat(first).isEqualTo(new StatusResult("running", Outcome.PENDING, null, null, null));
    assertThat(second)
        .isEqualTo(
            new StatusResult(
                "failed", Outcome.FAILED, "quota exceeded for dataset events", null, null));
  }

  @Test
  void
      givenGzipFileDownloads_whenExtractedWithAutoCompression_thenEveryPageIsGunzippedAndRowsMatch() {
    List<String> contentTypes = new CopyOnWriteArrayList<>();
    OkHttpClient recording =
        new OkHttpClient.Builder()
            .addInterceptor(
                chain -> {
                  Response response = chain.proceed(chain.request());
                  if (chain.request().url().encodedPath().endsWith("/data")) {
                    contentTypes.add(
                        response.header("Content-Type")
                            + "; encoding="
                            + response.header("Content-Encoding"));
                  }
                  return response;
                })
            .build();
    fixture = SandboxFixture.start(CONFIG, recording);
    AsyncHttpSource source =
        GenericSource.offset("csv", PAGE).source(fixture.baseUrl(), PAGE, 250, "?gzip=true");
    String requestId = submitAndWait(source);

    ExtractResult result;
    try (ExtractEnvironment env = new ExtractEnvironment(fixture.activities)) {
      result =
          env.extract(
              extractRequest(
                  source,
                  requestId,
                  GenericSource.sink("file://" + dir + "/table", "128MB", 1000)));
    }

    assertThat(contentTypes)
        .as("gzip files, not gzip transfer encoding")
        .hasSize(7)
        .allMatch("application/gzip; encoding=null"::equals);
    assertThat(StagedFiles.rows(dir.resolve("staging"), result.files()))
        .isEqualTo(ExpectedRows.events(CONFIG.seed(), 0, 250));
  }

  @Test
  void
      givenCorruptCsvPage_whenExtracted_thenNonRetryableMalformedDataNamingPageAndLineOfTheOpenQuote()
          throws IOException {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = GenericSource.offset("csv", PAGE).source(fixture.baseUrl(), PAGE, 250);
    String requestId = submitAndWait(source);
    fixture.sandbox.generic().malformed(true);
    long corruptLine = lineOfUnterminatedQuote(requestId);

    ActivityFailure failure;
    try (ExtractEnvironment env = new ExtractEnvironment(fixture.activities)) {
      failure =
          catchThrowableOfType(
              ActivityFailure.class,
              () ->
                  env.extract(
                      extractRequest(
                          source,
                          requestId,
                          GenericSource.sink("file://" + dir + "/table", "128MB", 1000))));
    }

    assertThat(failure).as("the extract must fail").isNotNull();
    assertThat(failure.getCause())
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            cause -> {
              assertThat(cause.getType()).isEqualTo(FailureType.MALFORMED_DATA.type());
              assertThat(cause.isNonRetryable()).isTrue();
              assertThat(cause.getOriginalMessage())
                  .startsWith("page 1, line " + corruptLine + ":");
            });
    assertThat(dir.resolve("staging").toFile().list()).as("nothing staged").isEmpty();
  }

  /** The failure of extracting {@code source} (which must fail) into {@code sink}. */
  private ApplicationFailure extractFailure(
      AsyncHttpSource source, String requestId, ParquetSink sink) {
    ActivityFailure failure;
    try (ExtractEnvironment env = new ExtractEnvironment(fixture.activities)) {
      failure =
          catchThrowableOfType(
              ActivityFailure.class, () -> env.extract(extractRequest(source, requestId, sink)));
    }
    assertThat(failure).as("the extract must fail").isNotNull();
    assertThat(failure.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) failure.getCause();
  }

  @Test
  void givenEmpty200BodyOnThirdCsvPage_whenExtracted_thenMalformedNotHalfTheResult() {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = GenericSource.offset("csv", PAGE).source(fixture.baseUrl(), PAGE, 250);
    String requestId = submitAndWait(source);
    fixture.sandbox.generic().badPages("empty", 3);

    ApplicationFailure cause =
        extractFailure(
            source, requestId, GenericSource.sink("file://" + dir + "/table", "128MB", 1000));

    // Before: the empty page ended the offset paging, and 80 of 250 rows were published.
    assertThat(cause.getType()).isEqualTo(FailureType.MALFORMED_DATA.type());
    assertThat(cause.isNonRetryable()).isTrue();
    assertThat(cause.getOriginalMessage()).startsWith("page 3, line 1: the page is empty");
    assertThat(dir.resolve("staging").toFile().list()).as("nothing staged").isEmpty();
  }

  @Test
  void givenHtmlErrorPageWith200_whenExtractedIntoDeclaredColumns_thenMalformedNamingTheMediaType() {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = GenericSource.offset("csv", PAGE).source(fixture.baseUrl(), PAGE, 250);
    String requestId = submitAndWait(source);
    fixture.sandbox.generic().badPages("html", 1);
    ParquetSink declaring =
        new ParquetSink(
            "file://" + dir + "/table",
            "snapshot",
            "zstd",
            "128MB",
            List.of(
                new ColumnSpec("id", "long", null),
                new ColumnSpec("created_at", "timestamp", null)),
            1000);

    ApplicationFailure cause = extractFailure(source, requestId, declaring);

    // Before: a table with a column named "<html>", every declared column null, was published.
    assertThat(cause.getType()).isEqualTo(FailureType.MALFORMED_DATA.type());
    assertThat(cause.getOriginalMessage())
        .startsWith("page 1: the provider answered media type text/html, which is not csv")
        .contains("GET http://127.0.0.1:")
        .contains("/generic/syncs/" + requestId + "/data?limit=40&offset=0");
    assertThat(dir.resolve("staging").toFile().list()).as("nothing staged").isEmpty();
  }

  /** Where the sandbox's corrupt CSV page opens its unterminated quote, read without Sluice. */
  private long lineOfUnterminatedQuote(String requestId) throws IOException {
    Request page =
        new Request.Builder()
            .url(
                fixture.baseUrl()
                    + "/generic/syncs/"
                    + requestId
                    + "/data?limit="
                    + PAGE
                    + "&offset=0")
            .header("X-API-Key", CONFIG.apiKey())
            .build();
    try (Response response = new OkHttpClient().newCall(page).execute()) {
      String body = response.body().string();
      int at = body.indexOf("999,\"unterminated");
      assertThat(at).as("the corrupt record in the page").isPositive();
      return 1 + body.substring(0, at).chars().filter(c -> c == '\n').count();
    }
  }

  @Test
  void givenPageCorruptAfterFirstCheckpoint_whenExtracted_thenMalformedDataNamesThatLaterPage() {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = GenericSource.nextUrl().source(fixture.baseUrl(), PAGE, 400);
    String requestId = submitAndWait(source);

    ActivityFailure failure;
    List<ExtractCheckpoint> heartbeats;
    try (ExtractEnvironment env = new ExtractEnvironment(fixture.activities)) {
      AtomicBoolean armed = new AtomicBoolean();
      env.onHeartbeat(
          checkpoint -> {
            if (armed.compareAndSet(false, true)) {
              fixture.sandbox.generic().malformed(true);
            }
          });
      failure =
          catchThrowableOfType(
              ActivityFailure.class,
              () ->
                  env.extract(
                      extractRequest(
                          source,
                          requestId,
                          GenericSource.sink("file://" + dir + "/table", "4KB", 10))));
      heartbeats = env.heartbeats();
    }

    assertThat(failure).as("the extract must fail").isNotNull();
    assertThat(heartbeats).as("a file completed before the corrupt page").isNotEmpty();
    int corruptPage = heartbeats.get(0).pages() + 1;
    assertThat(corruptPage).as("a page after the first").isBetween(2, 10);
    assertThat(failure.getCause())
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            cause -> {
              assertThat(cause.getType()).isEqualTo(FailureType.MALFORMED_DATA.type());
              assertThat(cause.isNonRetryable()).isTrue();
              assertThat(cause.getOriginalMessage())
                  .matches("page " + corruptPage + ", line [1-9][0-9]*: .*");
            });
    assertThat(dir.resolve("staging").toFile().list())
        .as("the completed files stay, the unfinished one is gone")
        .containsExactlyInAnyOrderElementsOf(heartbeats.get(0).writer().files());
  }

  @Test
  void givenWrongApiKey_whenSubmitting_thenNonRetryableAuthFailedWithoutTheKey() {
    String wrongKey = "wrong-key-7c1e";
    fixture = SandboxFixture.startWithEnvironment(CONFIG, Map.of("EXPORT_API_KEY", wrongKey));
    AsyncHttpSource source = GenericSource.cursor().source(fixture.baseUrl(), PAGE, 10);

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                fixture.activities.submit(
                    new SubmitRequest(
                        "run-1", source, Map.of(), "file://" + dir + "/receipt.json")));

    assertThat(failure).as("the submit must fail").isNotNull();
    assertThat(failure.getType()).isEqualTo(FailureType.AUTH_FAILED.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .contains("401")
        .contains("invalid api key")
        .doesNotContain(wrongKey);
    assertThat(fixture.sandbox.generic().stats().unauthorizedResponses())
        .as("no second try")
        .isEqualTo(1);
    assertThat(fixture.sandbox.generic().stats().exports()).isEmpty();
  }
}
