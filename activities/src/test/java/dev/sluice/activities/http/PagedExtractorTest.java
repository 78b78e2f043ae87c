package dev.sluice.activities.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import dev.sluice.activities.auth.Authenticator;
import dev.sluice.activities.auth.MutableClock;
import dev.sluice.activities.formats.Compression;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PagedExtractorTest {
  private final TestServer server = new TestServer();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ProviderHttp http =
      new ProviderHttp(new OkHttpClient(), Authenticator.NONE, new HttpMetrics(registry), clock);
  private final List<List<Object>> store = new ArrayList<>();
  private final List<ExtractCheckpoint> heartbeats = new ArrayList<>();

  @AfterEach
  void stop() {
    server.close();
  }

  private static PaginationSpec pagination(
      String type, String header, String param, String pointer, Integer pageSize) {
    return new PaginationSpec(
        type, header, param, null, pointer, pageSize == null ? null : "maxRecords", pageSize, null);
  }

  private PagedExtractor extractor(PaginationSpec paginationSpec, FormatSpec format) {
    Pagination pagination = Pagination.of(paginationSpec);
    ExtractPlan plan =
        new ExtractPlan(
            new Request.Builder().url(server.url("/results")).header("Accept", "text/csv").build(),
            pagination,
            PageParsers.forFormat(format, new JsonFactory(), pagination.bodyPointers()),
            Compression.AUTO);
    return new PagedExtractor(http, new HttpMetrics(registry), plan);
  }

  private ExtractResult run(
      PagedExtractor extractor, RecordingWriter writer, ExtractCheckpoint from) {
    return extractor.run(
        writer,
        from,
        new CheckpointHeartbeat(heartbeats::add, clock, Duration.ofSeconds(10), from));
  }

  /** Salesforce-style pages: a header on each, the next locator in Sforce-Locator. */
  private void serveLocatorPages(int pages, int failOnceAtPage) {
    boolean[] failed = {false};
    server.route(
        "/results",
        call -> {
          String locator =
              call.query() == null ? null : call.query().replaceAll(".*locator=([^&]*).*", "$1");
          int page =
              locator == null || !call.query().contains("locator=") ? 1 : Integer.parseInt(locator);
          String body = "Id,Name\n" + page + "a,A" + page + "\n" + page + "b,\"B, " + page + "\"\n";
          Reply reply =
              Reply.of(200, "text/csv", body)
                  .withHeader(
                      "Sforce-Locator", page == pages ? "null" : Integer.toString(page + 1));
          if (page == failOnceAtPage && !failed[0]) {
            failed[0] = true;
            return reply.truncatedFrom(reply.body().length + 100);
          }
          return reply;
        });
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
  void givenConnectionDropsMidPage_whenRetriedFromLastCheckpoint_thenEveryRowLandsExactlyOnce() {
    serveLocatorPages(5, 4);
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
            });
    assertThat(firstWriter.closed).isTrue();
    ExtractCheckpoint last = heartbeats.get(heartbeats.size() - 1);
    assertThat(last.pages()).isEqualTo(2);
    assertThat(last.next().token()).isEqualTo("3");

    PagedExtractor retry =
        extractor(
            pagination("header-locator", "Sforce-Locator", "locator", null, null), FormatSpec.CSV);
    ExtractResult result = run(retry, new RecordingWriter(2, store, last.writer()), last);

    assertThat(result.pages()).isEqualTo(5);
    assertThat(result.rows()).isEqualTo(10);
    assertThat(store)
        .extracting(row -> row.get(0))
        .containsExactly("1a", "1b", "2a", "2b", "3a", "3b", "4a", "4b", "5a", "5b");
  }

  @Test
  void givenRelativeNextUrlInJson_whenExtracted_thenItResolvesAgainstTheCurrentPage() {
    server.route(
        "/results", call -> Reply.json(200, "{\"records\":[{\"id\":1}],\"next\":\"more?p=2\"}"));
    server.route("/more", call -> Reply.json(200, "{\"next\":null,\"records\":[{\"id\":2}]}"));
    PagedExtractor extractor =
        extractor(
            pagination("next-url", null, null, "/next", null),
            new FormatSpec("json", null, null, null, "/records"));

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
            new FormatSpec("json", null, null, null, "/data"));

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
        new PaginationSpec("offset", null, "offset", null, null, "limit", 2, null);
    PagedExtractor extractor = extractor(spec, new FormatSpec("ndjson", null, null, null, null));

    ExtractResult result = run(extractor, new RecordingWriter(1, store, null), extractor.start());

    assertThat(result.rows()).isEqualTo(3);
    assertThat(server.calls("/results"))
        .extracting(TestServer.Call::query)
        .containsExactly("limit=2&offset=0", "limit=2&offset=2");
  }

  @Test
  void givenPageNumbers_whenAPageIsEmpty_thenPagingStopsThere() {
    server.route(
        "/results", call -> Reply.json(200, call.query().equals("page=3") ? "[]" : "[{\"id\":1}]"));
    PaginationSpec spec = new PaginationSpec("page", null, "page", null, null, null, null, null);
    PagedExtractor extractor = extractor(spec, new FormatSpec("json", null, null, null, null));

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
    ExtractCheckpoint done = new ExtractCheckpoint(null, 4, writer.finish());

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
