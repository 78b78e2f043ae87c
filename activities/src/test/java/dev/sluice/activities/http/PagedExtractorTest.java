package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import dev.sluice.activities.auth.MutableClock;
import dev.sluice.activities.formats.CsvPageParser;
import dev.sluice.activities.formats.PageParsers;
import dev.sluice.activities.http.TestServer.Reply;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PagedExtractorTest {
  private final ExtractorFixture fixture = new ExtractorFixture();
  private final TestServer server = fixture.server;
  private final MutableClock clock = fixture.clock;
  private final SimpleMeterRegistry registry = fixture.registry;
  private final List<List<Object>> store = fixture.store;
  private final List<ExtractCheckpoint> heartbeats = fixture.heartbeats;

  @AfterEach
  void stop() {
    fixture.close();
  }

  private static PaginationSpec pagination(
      String type, String header, String param, String pointer, Integer pageSize) {
    return ExtractorFixture.pagination(type, header, param, pointer, pageSize);
  }

  private PagedExtractor extractor(PaginationSpec paginationSpec, FormatSpec format) {
    return fixture.extractor(paginationSpec, format);
  }

  private ExtractResult run(
      PagedExtractor extractor, RecordingWriter writer, ExtractCheckpoint from) {
    return fixture.run(extractor, writer, from);
  }

  /** Salesforce-style pages: a header on each, the next locator in Sforce-Locator. */
  private void serveLocatorPages(int pages, int failOnceAtPage) {
    boolean[] failed = {false};
    Function<TestServer.Call, Reply> pagesHandler =
        serveLocatorPagesHandler(pages);
    server.route(
        "/results",
        call -> {
          Reply reply = pagesHandler.apply(call);
          if (pageOf(call) == failOnceAtPage && !failed[0]) {
            failed[0] = true;
            return reply.truncatedFrom(reply.body().length + 100);
          }
          return reply;
        });
  }

  static Function<TestServer.Call, Reply> serveLocatorPagesHandler(int pages) {
    return call -> {
      int page = pageOf(call);
      String body = "Id,Name\n" + page + "a,A" + page + "\n" + page + "b,\"B, " + page + "\"\n";
      return Reply.of(200, "text/csv", body)
          .withHeader("Sforce-Locator", page == pages ? "null" : Integer.toString(page + 1));
    };
  }

  /** 503 for every request of page {@code page}; other pages as {@code pages} serves them. */
  static Function<TestServer.Call, Reply> unavailableAt(
      int page, Function<TestServer.Call, Reply> pages) {
    return call ->
        pageOf(call) == page
            ? Reply.json(503, "{\"error\":\"unavailable\"}")
            : pages.apply(call);
  }

  static int pageOf(TestServer.Call call) {
    String query = call.query();
    return query == null || !query.contains("locator=")
        ? 1
        : Integer.parseInt(query.replaceAll(".*locator=([^&]*).*", "$1"));
  }

  @Test
  void givenHeaderLocatorPages_whenExtracted_thenEveryPageIsReadWithLocatorAndPageSize() {
    serveLocatorPages(3, 0);
    RecordingWriter writer = new RecordingWriter(1, store, null);
    PagedExtractor extractor =
        extractor(
            pagination("header-locator", "Sforce-Locator", "locator", null, 2), FormatSpec.CSV);

    ExtractResult result = run(extractor, writer, extractor.start());

    assertThat(result.pages()).isEqualTo(3);
    assertThat(result.rows()).isEqualTo(6);
    assertThat(result.files()).hasSize(3);
    assertThat(store)
        .extracting(row -> row.get(1))
        .containsExactly("A1", "B, 1", "A2", "B, 2", "A3", "B, 3");
    assertThat(server.calls("/results"))
        .extracting(TestServer.Call::query)
        .containsExactly("maxRecords=2", "maxRecords=2&locator=2", "maxRecords=2&locator=3");
    assertThat(heartbeats).extracting(ExtractCheckpoint::pages).containsExactly(1, 2, 3);
    assertThat(heartbeats.get(2).next()).isNull();
    assertThat(registry.get("sluice.extract.rows").counter().count()).isEqualTo(6.0);
  }

  @Test
  void givenConnectionDropsMidPage_whenExtracted_thenThatPageAloneIsFetchedAgainAndEveryRowOnce() {
    serveLocatorPages(5, 4);
    PagedExtractor extractor =
        extractor(
            pagination("header-locator", "Sforce-Locator", "locator", null, null), FormatSpec.CSV);

    ExtractResult result = run(extractor, new RecordingWriter(2, store, null), extractor.start());

    assertThat(result.pages()).isEqualTo(5);
    assertThat(store)
        .extracting(row -> row.get(0))
        .containsExactly("1a", "1b", "2a", "2b", "3a", "3b", "4a", "4b", "5a", "5b");
    assertThat(server.calls("/results"))
        .extracting(TestServer.Call::query)
        .containsExactly(null, "locator=2", "locator=3", "locator=4", "locator=4", "locator=5");
    assertThat(fixture.sleeps).containsExactly(Duration.ofMillis(250));
  }

  @Test
  void
      givenAttemptFailsAfterACheckpoint_whenResumedFromIt_thenEveryRowOnceAndNoDurablePageRefetched() {
    serveLocatorPages(5, 0);
    server.route("/results", unavailableAt(4, serveLocatorPagesHandler(5)));
    PagedExtractor first =
        extractor(
            pagination("header-locator", "Sforce-Locator", "locator", null, null), FormatSpec.CSV);
    RecordingWriter firstWriter = new RecordingWriter(2, store, null);

    assertThatThrownBy(() -> run(first, firstWriter, first.start()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("HttpTransient");
              assertThat(f.isNonRetryable()).isFalse();
              assertThat(f.getOriginalMessage()).startsWith("page 4: GET http://127.0.0.1:");
              assertThat(f.getOriginalMessage()).contains("/results?locator=4 answered HTTP 503");
            });
    assertThat(firstWriter.closed).isTrue();
    ExtractCheckpoint last = fixture.lastCheckpoint();
    assertThat(last.pages()).isEqualTo(2);
    assertThat(last.next().token()).isEqualTo("3");
    int callsBefore = server.calls("/results").size();
    server.route("/results", serveLocatorPagesHandler(5));

    PagedExtractor retry =
        extractor(
            pagination("header-locator", "Sforce-Locator", "locator", null, null), FormatSpec.CSV);
    ExtractResult result = run(retry, new RecordingWriter(2, store, last.writer()), last);

    assertThat(result.pages()).isEqualTo(5);
    assertThat(result.rows()).isEqualTo(10);
    assertThat(store)
        .extracting(row -> row.get(0))
        .containsExactly("1a", "1b", "2a", "2b", "3a", "3b", "4a", "4b", "5a", "5b");
    assertThat(server.calls("/results").subList(callsBefore, server.calls("/results").size()))
        .extracting(TestServer.Call::query)
        .containsExactly("locator=3", "locator=4", "locator=5");
  }

  @Test
  void givenCheckpointIntervalZero_whenPagesEnd_thenEachPageIsMadeDurableBeforeItsFileIsFull() {
    serveLocatorPages(3, 0);
    PagedExtractor extractor =
        fixture.extractor(
            pagination("header-locator", "Sforce-Locator", "locator", null, null),
            FormatSpec.CSV,
            plan -> plan.withCheckpointInterval(Duration.ZERO));
    RecordingWriter writer = new RecordingWriter(100, store, null);

    ExtractResult result = run(extractor, writer, extractor.start());

    assertThat(heartbeats).extracting(ExtractCheckpoint::pages).containsExactly(1, 2, 3);
    assertThat(heartbeats.get(0).next().token()).isEqualTo("2");
    assertThat(heartbeats.get(0).writer().rows()).isEqualTo(2);
    assertThat(writer.checkpoints).isEqualTo(3);
    assertThat(result.files()).hasSize(3);
  }

  @Test
  void givenCheckpointIntervalNotReached_whenPagesEnd_thenFilesCloseOnlyAtTheirSize() {
    serveLocatorPages(3, 0);
    PagedExtractor extractor =
        fixture.extractor(
            pagination("header-locator", "Sforce-Locator", "locator", null, null),
            FormatSpec.CSV,
            plan -> plan.withCheckpointInterval(Duration.ofSeconds(30)));
    RecordingWriter writer = new RecordingWriter(100, store, null);

    ExtractResult result = run(extractor, writer, extractor.start());

    assertThat(heartbeats).isEmpty();
    assertThat(writer.checkpoints).isZero();
    assertThat(result.files()).hasSize(1);
  }

  @Test
  void givenRelativeNextUrlInJson_whenExtracted_thenItResolvesAgainstTheCurrentPage() {
    server.route(
        "/results", call -> Reply.json(200, "{\"records\":[{\"id\":1}],\"next\":\"more?p=2\"}"));
    server.route("/more", call -> Reply.json(200, "{\"next\":null,\"records\":[{\"id\":2}]}"));
    PagedExtractor extractor =
        extractor(
            pagination("next-url", null, null, "/next", null),
            FormatSpec.Json.at("/records"));

    ExtractResult result = run(extractor, new RecordingWriter(1, store, null), extractor.start());

    assertThat(result.pages()).isEqualTo(2);
    assertThat(store).containsExactly(List.of(1L), List.of(2L));
    assertThat(server.calls("/more")).extracting(TestServer.Call::query).containsExactly("p=2");
  }

  @Test
  void givenCursorInJson_whenExtracted_thenItIsSentBackUntilItIsMissing() {
    server.route(
        "/results",
        call ->
            call.query() == null
                ? Reply.json(200, "{\"cursor\":\"abc\",\"data\":[{\"id\":1}]}")
                : Reply.json(200, "{\"data\":[{\"id\":2}]}"));
    PagedExtractor extractor =
        extractor(
            pagination("cursor", null, "after", "/cursor", null),
            FormatSpec.Json.at("/data"));

    ExtractResult result = run(extractor, new RecordingWriter(1, store, null), extractor.start());

    assertThat(result.pages()).isEqualTo(2);
    assertThat(server.calls("/results").get(1).query()).isEqualTo("after=abc");
  }

  @Test
  void givenOffsetPagination_whenAPageIsShort_thenItIsTheLast() {
    server.route(
        "/results",
        call ->
            call.query().endsWith("offset=0")
                ? Reply.of(200, "application/x-ndjson", "{\"id\":1}\n{\"id\":2}\n")
                : Reply.of(200, "application/x-ndjson", "{\"id\":3}\n"));
    PaginationSpec spec =
        new PaginationSpec.Offset("offset", null, "limit", 2, null);
    PagedExtractor extractor = extractor(spec, FormatSpec.NDJSON);

    ExtractResult result = run(extractor, new RecordingWriter(1, store, null), extractor.start());

    assertThat(result.rows()).isEqualTo(3);
    assertThat(server.calls("/results"))
        .extracting(TestServer.Call::query)
        .containsExactly("limit=2&offset=0", "limit=2&offset=2");
  }

  @Test
  void givenPageNumbers_whenAPageIsEmpty_thenPagingStopsThere() {
    server.route(
        "/results",
        call ->
            Reply.json(
                200,
                call.query().equals("page=3")
                    ? "[]"
                    : "[{\"id\":" + call.query().substring("page=".length()) + "}]"));
    PaginationSpec spec =
        new PaginationSpec.Page("page", null, null, null, null);
    PagedExtractor extractor = extractor(spec, FormatSpec.JSON);

    ExtractResult result = run(extractor, new RecordingWriter(1, store, null), extractor.start());

    assertThat(result.pages()).isEqualTo(3);
    assertThat(result.rows()).isEqualTo(2);
  }

  @Test
  void givenGzippedPageWithoutHeaders_whenExtracted_thenItIsGunzipped() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
      out.write("Id\n1\n2\n".getBytes(StandardCharsets.UTF_8));
    }
    byte[] bytes = gz.toByteArray();
    server.route(
        "/results",
        call ->
            new Reply(
                200, Map.of("Content-Type", "application/octet-stream"), bytes, bytes.length));
    PagedExtractor extractor = extractor(PaginationSpec.NONE, FormatSpec.CSV);

    assertThat(run(extractor, new RecordingWriter(1, store, null), extractor.start()).rows())
        .isEqualTo(2);
  }

  @Test
  void givenMalformedPage_whenExtracted_thenNonRetryableMalformedDataAndWriterClosed() {
    server.route("/results", call -> Reply.of(200, "text/csv", "Id,Name\n1,\"open\n"));
    PagedExtractor extractor = extractor(PaginationSpec.NONE, FormatSpec.CSV);
    RecordingWriter writer = new RecordingWriter(1, store, null);

    assertThatThrownBy(() -> run(extractor, writer, extractor.start()))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            f -> {
              assertThat(f.getType()).isEqualTo("MalformedData");
              assertThat(f.isNonRetryable()).isTrue();
              assertThat(f.getOriginalMessage()).startsWith("page 1, line 2:");
            });
    assertThat(writer.closed).isTrue();
  }

  @Test
  void givenCheckpointAfterLastPage_whenResumed_thenNothingIsFetchedAndWriterFinishes() {
    PagedExtractor extractor = extractor(PaginationSpec.NONE, FormatSpec.CSV);
    RecordingWriter writer = new RecordingWriter(1, store, null);
    ExtractCheckpoint done = new ExtractCheckpoint(null, 4, writer.finish(), null);

    ExtractResult result = run(extractor, new RecordingWriter(1, store, done.writer()), done);

    assertThat(result.pages()).isEqualTo(4);
    assertThat(server.calls("/results")).isEmpty();
  }

  @Test
  void givenCsvWithCursorPagination_whenPlanned_thenInvalidPipeline() {
    assertThatThrownBy(
            () -> extractor(pagination("cursor", null, "c", "/next", null), FormatSpec.CSV))
        .isInstanceOfSatisfying(
            ApplicationFailure.class, f -> assertThat(f.getType()).isEqualTo("InvalidPipeline"));
  }

  @Test
  void givenCsvParserTypeUsed_whenFormatIsCsv_thenItIsTheHandWrittenOne() {
    assertThat(PageParsers.forFormat(FormatSpec.CSV, new JsonFactory(), Set.of()))
        .isInstanceOf(CsvPageParser.class);
  }
}
