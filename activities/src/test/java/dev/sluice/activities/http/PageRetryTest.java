package dev.sluice.activities.http;

import static dev.sluice.activities.http.ExtractorFixture.pagination;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.activities.formats.PageParser;
import dev.sluice.activities.http.TestServer.Reply;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A page that fails is tried again in place, after the provider's {@code Retry-After} or a backoff,
 * without losing the pages before it; what cannot pass by trying again fails at once or after a
 * few tries, naming the page and its URL with the query.
 */
class PageRetryTest {
  private static final PaginationSpec LOCATOR =
      pagination("header-locator", "Sforce-Locator", "locator", null, null);

  private final ExtractorFixture fixture = new ExtractorFixture();
  private final TestServer server = fixture.server;

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** Three CSV pages, each answered by {@code page2} on its n-th request (from 1) when page 2. */
  private void serveWithPage2(Function<Integer, Reply> page2) {
    Function<TestServer.Call, Reply> pages = PagedExtractorTest.serveLocatorPagesHandler(3);
    AtomicInteger page2Calls = new AtomicInteger();
    server.route(
        "/results",
        call -> {
          if (PagedExtractorTest.pageOf(call) == 2) {
            Reply reply = page2.apply(page2Calls.incrementAndGet());
            if (reply != null) {
              return reply;
            }
          }
          return pages.apply(call);
        });
  }

  private ExtractResult extract() {
    PagedExtractor extractor = fixture.extractor(LOCATOR, FormatSpec.CSV);
    return fixture.run(
        extractor, new RecordingWriter(1, fixture.store, null), extractor.start());
  }

  private ApplicationFailure extractFailure() {
    return catchThrowableOfType(ApplicationFailure.class, this::extract);
  }

  private long page2Calls() {
    return server.calls("/results").stream()
        .filter(call -> PagedExtractorTest.pageOf(call) == 2)
        .count();
  }

  @Test
  void givenThrottledPageWithRetryAfter_whenExtracted_thenThatPageIsAskedAgainAfterTheDelay() {
    serveWithPage2(
        n ->
            n == 1
                ? Reply.json(429, "{\"error\":\"slow down\"}").withHeader("Retry-After", "7")
                : null);

    ExtractResult result = extract();

    assertThat(result.rows()).isEqualTo(6);
    assertThat(fixture.sleeps).containsExactly(Duration.ofSeconds(7));
    assertThat(server.calls("/results"))
        .extracting(TestServer.Call::query)
        .containsExactly(null, "locator=2", "locator=2", "locator=3");
  }

  @Test
  void givenBurstOf503WithoutRetryAfter_whenExtracted_thenBackoffDoublesAndEarlierPagesAreKept() {
    serveWithPage2(n -> n <= 3 ? Reply.json(503, "{\"error\":\"unavailable\"}") : null);

    ExtractResult result = extract();

    assertThat(result.rows()).isEqualTo(6);
    assertThat(fixture.sleeps)
        .containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1));
    assertThat(fixture.store).extracting(row -> row.get(0)).startsWith("1a", "1b", "2a");
  }

  @Test
  void givenPageFailingEveryTry_whenOutOfTries_thenRetryableNamingPageAndUrlWithItsQuery() {
    serveWithPage2(n -> Reply.json(503, "{\"error\":\"unavailable\"}"));

    ApplicationFailure failure = extractFailure();

    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage())
        .startsWith("page 2: GET http://127.0.0.1:")
        .contains("/results?locator=2 answered HTTP 503")
        .endsWith("8 tries of this page failed");
    assertThat(page2Calls()).isEqualTo(ExtractorFixture.QUICK.maxTries());
  }

  @Test
  void givenRetryAfterLongerThanWorthHoldingAThread_whenThrottled_thenAttemptFailsWithThatDelay() {
    serveWithPage2(
        n -> Reply.json(429, "{\"error\":\"quota\"}").withHeader("Retry-After", "120"));

    ApplicationFailure failure = extractFailure();

    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_TRANSIENT.type());
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(120));
    assertThat(failure.getOriginalMessage()).contains("page 2:").contains("asks to wait 2m");
    assertThat(page2Calls()).isEqualTo(1);
    assertThat(fixture.sleeps).isEmpty();
  }

  @Test
  void givenBodyShorterThanItsContentLengthOnEveryTry_whenExtracted_thenCorruptBodyAfter4Tries() {
    serveWithPage2(
        n -> Reply.of(200, "text/csv", "Id,Name\n2a,A2\n").truncatedFrom(1000));

    ApplicationFailure failure = extractFailure();

    assertThat(failure.getType()).isEqualTo(FailureType.CORRUPT_BODY.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("page 2: GET http://127.0.0.1:")
        .contains("/results?locator=2: the body broke off after 14 of 1000 bytes")
        .contains("4 tries in a row");
    assertThat(page2Calls()).isEqualTo(4);
  }

  @Test
  void givenTruncatedGzipOnEveryTry_whenExtracted_thenCorruptBodyAfterFourTries()
      throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write("Id,Name\n2a,A2\n2b,B2\n".repeat(50).getBytes(StandardCharsets.UTF_8));
    }
    byte[] broken = Arrays.copyOf(gz.toByteArray(), gz.size() / 2);
    serveWithPage2(
        n -> new Reply(200, Map.of("Content-Type", "application/gzip"), broken, broken.length));

    ApplicationFailure failure = extractFailure();

    assertThat(failure.getType()).isEqualTo(FailureType.CORRUPT_BODY.type());
    assertThat(failure.getOriginalMessage()).contains("page 2:").contains("ZLIB");
    assertThat(page2Calls()).isEqualTo(4);
  }

  @Test
  void givenBodyCutOnEverySecondRequest_whenExtracted_thenEveryPageArrivesOnItsSecondTry() {
    AtomicInteger requests = new AtomicInteger();
    Function<TestServer.Call, Reply> pages = PagedExtractorTest.serveLocatorPagesHandler(3);
    server.route(
        "/results",
        call -> {
          Reply reply = pages.apply(call);
          return requests.incrementAndGet() % 2 == 1
              ? reply.truncatedFrom(reply.body().length * 2L)
              : reply;
        });

    ExtractResult result = extract();

    assertThat(result.rows()).isEqualTo(6);
    assertThat(server.calls("/results")).hasSize(6);
  }

  @Test
  void givenRedirectLoop_whenExtracted_thenRedirectLoopAtOnceNamingPageAndUrl() {
    serveWithPage2(n -> Reply.redirect(server.url("/results?locator=2")));

    ApplicationFailure failure = extractFailure();

    assertThat(failure.getType()).isEqualTo(FailureType.REDIRECT_LOOP.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("page 2: GET http://127.0.0.1:")
        .contains("/results?locator=2 is redirected in a loop");
    assertThat(page2Calls())
        .as("one try: OkHttp's 20 redirects, then its 21st answer")
        .isEqualTo(21);
    assertThat(fixture.sleeps).isEmpty();
  }

  @Test
  void givenClientErrorOnPage2_whenExtracted_thenNonRetryableNamingPageAndUrlWithItsQuery() {
    serveWithPage2(n -> Reply.json(400, "{\"error\":\"bad locator\"}"));

    ApplicationFailure failure = extractFailure();

    assertThat(failure.getType()).isEqualTo(FailureType.HTTP_CLIENT_ERROR.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("page 2: GET http://127.0.0.1:")
        .contains("/results?locator=2 answered HTTP 400: {\"error\":\"bad locator\"}");
    assertThat(page2Calls()).isEqualTo(1);
  }

  @Test
  void givenRecordTooLargeToHoldInMemory_whenParsed_thenMalformedDataAtOnceNamingThePage() {
    serveWithPage2(n -> null);
    ExtractPlan plan = fixture.plan(LOCATOR, FormatSpec.CSV);
    PageParser real = plan.parser();
    PageParser hugeField =
        (body, page, sink) -> {
          if (page == 2) {
            throw new OutOfMemoryError("Java heap space");
          }
          return real.parse(body, page, sink);
        };
    PagedExtractor extractor =
        fixture.extractor(
            new ExtractPlan(
                plan.firstPage(),
                plan.pagination(),
                hugeField,
                plan.compression(),
                plan.pageTimeout(),
                plan.checkpointInterval(),
                plan.maxPages(),
                plan.retry(),
                plan.refresh()));
    RecordingWriter writer = new RecordingWriter(1, fixture.store, null);

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> fixture.run(extractor, writer, extractor.start()));

    assertThat(failure.getType()).isEqualTo(FailureType.MALFORMED_DATA.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("page 2 (GET http://127.0.0.1:")
        .contains("/results?locator=2, ")
        .contains("ran out of memory parsing it");
    assertThat(page2Calls()).isEqualTo(1);
    assertThat(writer.closed).isTrue();
  }

  @Test
  void givenPageSlowerThanItsDeadline_whenExtracted_thenPageTooSlowSayingWhichPageAndHowSlow() {
    serveWithPage2(
        n -> Reply.of(200, "text/csv", "Id,Name\n" + "2a,A2\n".repeat(100)).trickled(20));
    PagedExtractor extractor =
        fixture.extractor(
            LOCATOR, FormatSpec.CSV, plan -> plan.withPageTimeout(Duration.ofMillis(400)));

    long started = System.nanoTime();
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                fixture.run(
                    extractor, new RecordingWriter(1, fixture.store, null), extractor.start()));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(failure.getType()).isEqualTo(FailureType.PAGE_TOO_SLOW.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("page 2: GET http://127.0.0.1:")
        .contains("/results?locator=2 did not arrive within extract.pageTimeout (400ms)")
        .containsPattern("[0-9]+ bytes in [0-9.]+m?s \\([0-9.]+ B/s\\)")
        .contains("2 tries in a row");
    assertThat(page2Calls()).isEqualTo(2);
    assertThat(took).isLessThan(Duration.ofSeconds(5));
  }
}
