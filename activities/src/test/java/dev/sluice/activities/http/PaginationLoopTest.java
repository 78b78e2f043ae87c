package dev.sluice.activities.http;

import static dev.sluice.activities.http.ExtractorFixture.pagination;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.activities.http.TestServer.Reply;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.workflows.activities.FailureType;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pagination that would never end fails, naming the page, before a page is read twice. */
class PaginationLoopTest {
  private static final FormatSpec JSON_DATA = FormatSpec.Json.at("/data");
  private static final PaginationSpec CURSOR = pagination("cursor", null, "after", "/next", null);

  private final ExtractorFixture fixture = new ExtractorFixture();
  private final TestServer server = fixture.server;

  @AfterEach
  void stop() {
    fixture.close();
  }

  private ApplicationFailure failureOf(PagedExtractor extractor, ExtractCheckpoint from) {
    RecordingWriter writer =
        new RecordingWriter(1, fixture.store, from.writer());
    return catchThrowableOfType(
        ApplicationFailure.class, () -> fixture.run(extractor, writer, from));
  }

  /** Cursor pages: the first names "A", then each cursor names the next as {@code next}. */
  private void serveCursors(Map<String, String> next) {
    server.route(
        "/results",
        call -> {
          String cursor =
              call.query() == null ? "start" : call.query().substring("after=".length());
          String following = next.get(cursor);
          return Reply.json(
              200,
              "{\"data\":[{\"id\":\""
                  + cursor
                  + "\"}],\"next\":"
                  + (following == null ? "null" : "\"" + following + "\"")
                  + "}");
        });
  }

  @Test
  void givenCursorCycle_whenExtracted_thenPaginationLoopBeforeTheCycleIsReadAgain() {
    serveCursors(Map.of("start", "A", "A", "B", "B", "A"));
    PagedExtractor extractor = fixture.extractor(CURSOR, JSON_DATA);

    ApplicationFailure failure = failureOf(extractor, extractor.start());

    assertThat(failure.getType()).isEqualTo(FailureType.PAGINATION_LOOP.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("page 4: GET http://127.0.0.1:")
        .contains("/results?after=A was already read in this run");
    assertThat(server.calls("/results"))
        .extracting(TestServer.Call::query)
        .containsExactly(null, "after=A", "after=B");
  }

  @Test
  void givenNextUrlPointingBack_whenExtracted_thenPaginationLoopBeforeReadingItAgain() {
    server.route(
        "/results", call -> Reply.json(200, "{\"data\":[{\"id\":1}],\"next\":\"/more?p=2\"}"));
    server.route(
        "/more", call -> Reply.json(200, "{\"data\":[{\"id\":2}],\"next\":\"/results\"}"));
    PagedExtractor extractor =
        fixture.extractor(pagination("next-url", null, null, "/next", null), JSON_DATA);

    ApplicationFailure failure = failureOf(extractor, extractor.start());

    assertThat(failure.getType()).isEqualTo(FailureType.PAGINATION_LOOP.type());
    assertThat(failure.getOriginalMessage()).startsWith("page 3: GET http://127.0.0.1:");
    assertThat(server.calls("/results")).hasSize(1);
    assertThat(server.calls("/more")).hasSize(1);
  }

  @Test
  void givenRepeatedLocator_whenExtracted_thenPaginationLoopAfterTheFirstRepeat() {
    server.route(
        "/results",
        call ->
            Reply.of(200, "text/csv", "Id\n" + (call.query() == null ? "1" : "2") + "\n")
                .withHeader("Sforce-Locator", "L2"));
    PagedExtractor extractor =
        fixture.extractor(
            pagination("header-locator", "Sforce-Locator", "locator", null, null), FormatSpec.CSV);

    ApplicationFailure failure = failureOf(extractor, extractor.start());

    assertThat(failure.getType()).isEqualTo(FailureType.PAGINATION_LOOP.type());
    assertThat(failure.getOriginalMessage()).contains("page 3:").contains("locator=L2");
    assertThat(server.calls("/results")).hasSize(2);
  }

  @Test
  void givenProviderIgnoringThePageParameter_whenExtracted_thenPaginationLoopAndPage2NotWritten() {
    server.route("/results", call -> Reply.json(200, "[{\"id\":1},{\"id\":2}]"));
    PagedExtractor extractor =
        fixture.extractor(
            new PaginationSpec.Page("page", null, null, null, null),
            FormatSpec.JSON);

    ApplicationFailure failure = failureOf(extractor, extractor.start());

    assertThat(failure.getType()).isEqualTo(FailureType.PAGINATION_LOOP.type());
    assertThat(failure.getOriginalMessage())
        .startsWith("page 2: GET http://127.0.0.1:")
        .contains("?page=2 answered with the same")
        .contains("as page 1: the provider ignores the page parameter");
    assertThat(fixture.store).containsExactly(List.of(1L), List.of(2L));
  }

  @Test
  void givenProviderIgnoringTheCursor_whenItRepeatsPage1AndItsCursor_thenNoRowIsWrittenTwice() {
    // Before: the unchanged cursor ended paging after page 1 had been written a second time.
    server.route("/results", call -> Reply.json(200, "{\"data\":[{\"id\":1}],\"next\":\"A\"}"));
    PagedExtractor extractor = fixture.extractor(CURSOR, JSON_DATA);

    ApplicationFailure failure = failureOf(extractor, extractor.start());

    assertThat(failure.getType()).isEqualTo(FailureType.PAGINATION_LOOP.type());
    assertThat(fixture.store).containsExactly(List.of(1L));
  }

  @Test
  void givenMorePagesThanMaxPages_whenExtracted_thenTooManyPagesBeforeThePageAfterTheLimit() {
    server.route(
        "/results",
        call -> Reply.json(200, "[{\"id\":\"" + call.query() + "\"}]"));
    PagedExtractor extractor =
        fixture.extractor(
            new PaginationSpec.Page("page", null, null, null, null),
            FormatSpec.JSON,
            plan -> plan.withMaxPages(3));

    ApplicationFailure failure = failureOf(extractor, extractor.start());

    assertThat(failure.getType()).isEqualTo(FailureType.TOO_MANY_PAGES.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage())
        .startsWith("page 4: GET http://127.0.0.1:")
        .contains("?page=4 would be past pagination.maxPages (3)");
    assertThat(server.calls("/results")).hasSize(3);
  }

  @Test
  void givenCycleSpanningAResume_whenResumedFromTheHeartbeat_thenTheLoopIsStillCaught() {
    serveCursors(Map.of("start", "A", "A", "B", "B", "A"));
    PagedExtractor first = fixture.extractor(CURSOR, JSON_DATA);
    failureOf(first, first.start());
    // The checkpoint after page 3 (cursor B), whose next page is A again, read before the resume.
    ExtractCheckpoint afterPage3 = fixture.heartbeats.get(2);
    assertThat(afterPage3.next().token()).isEqualTo("A");
    int callsBefore = server.calls("/results").size();

    PagedExtractor resumed = fixture.extractor(CURSOR, JSON_DATA);
    ApplicationFailure failure = failureOf(resumed, afterPage3);

    assertThat(failure.getType()).isEqualTo(FailureType.PAGINATION_LOOP.type());
    assertThat(failure.getOriginalMessage()).startsWith("page 4:").contains("after=A");
    assertThat(server.calls("/results")).hasSize(callsBefore);
  }

  @Test
  void givenCursorThatStopsChanging_whenThePageIsNew_thenPagingEndsAsDocumented() {
    server.route(
        "/results",
        call ->
            Reply.json(
                200,
                call.query() == null
                    ? "{\"data\":[{\"id\":1}],\"next\":\"A\"}"
                    : "{\"data\":[{\"id\":2}],\"next\":\"A\"}"));
    PagedExtractor extractor = fixture.extractor(CURSOR, JSON_DATA);

    RecordingWriter writer = new RecordingWriter(1, fixture.store, null);
    fixture.run(extractor, writer, extractor.start());

    assertThat(fixture.store).containsExactly(List.of(1L), List.of(2L));
  }
}
