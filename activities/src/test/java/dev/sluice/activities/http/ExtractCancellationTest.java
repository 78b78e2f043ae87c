package dev.sluice.activities.http;

import static dev.sluice.activities.http.ExtractorFixture.pagination;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.activities.http.TestServer.Reply;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.PaginationSpec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An attempt whose heartbeat throws (the run was cancelled, or Temporal gave the attempt up) stops
 * within a watchdog tick, even while its thread is blocked reading a page or waiting to retry one:
 * the page request is cut, its connection closed, and the attempt ends with what the heartbeat
 * threw. A page fetched ahead on its own thread ({@link PageAhead}) is cut too, and its thread
 * ends with the attempt.
 */
class ExtractCancellationTest {
  private static final PaginationSpec LOCATOR =
      pagination("header-locator", "Sforce-Locator", "locator", null, null);

  private final ExtractorFixture fixture = new ExtractorFixture();
  private final TestServer server = fixture.server;
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final RuntimeException cancellation = new RuntimeException("activity cancelled");

  @AfterEach
  void stop() {
    fixture.close();
  }

  /** Runs the extract on another thread, with a heartbeat that throws once cancelled. */
  private CompletableFuture<?> startExtract(PagedExtractor extractor) {
    ExtractCheckpoint from = extractor.start();
    CheckpointHeartbeat heartbeats =
        new CheckpointHeartbeat(
            checkpoint -> {
              if (cancelled.get()) {
                throw cancellation;
              }
            },
            fixture.clock,
            Duration.ZERO,
            from);
    return CompletableFuture.runAsync(
        () -> extractor.run(new RecordingWriter(1, fixture.store, null), from, heartbeats));
  }

  private Throwable failureWithin(CompletableFuture<?> extract, Duration limit) throws Exception {
    try {
      extract.get(limit.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("the extract completed instead of stopping");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  private void awaitNoOpenBody() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (server.openBodies() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  void givenPageTricklingOneByteAtATime_whenCancelled_thenConnectionClosedAndAttemptEndsInSeconds()
      throws Exception {
    server.route(
        "/results", call -> Reply.of(200, "text/csv", "Id\n" + "1\n".repeat(10_000)).trickled(5));
    PagedExtractor extractor = fixture.extractor(LOCATOR, FormatSpec.CSV);
    CompletableFuture<?> extract = startExtract(extractor);
    Thread.sleep(500);
    assertThat(server.openBodies()).as("the page is streaming").isEqualTo(1);

    long cancelledAt = System.nanoTime();
    cancelled.set(true);
    Throwable failure = failureWithin(extract, Duration.ofSeconds(3));
    Duration stoppedAfter = Duration.ofNanos(System.nanoTime() - cancelledAt);
    awaitNoOpenBody();

    assertThat(failure).isSameAs(cancellation);
    assertThat(stoppedAfter).isLessThan(Duration.ofSeconds(2));
    assertThat(server.openBodies()).as("the provider's connection is closed").isZero();
    assertThat(server.brokenBodies()).isEqualTo(1);
  }

  @Test
  void givenWaitingOutARetryAfter_whenCancelled_thenTheWaitEndsAtOnce() throws Exception {
    server.route(
        "/results",
        call -> Reply.json(429, "{\"error\":\"quota\"}").withHeader("Retry-After", "50"));
    ExtractPlan plan = fixture.plan(LOCATOR, FormatSpec.CSV);
    PagedExtractor extractor =
        new PagedExtractor(
            fixture.http,
            new HttpMetrics(fixture.registry),
            plan,
            fixture.clock,
            (duration, guard) -> guard.pause(duration),
            Duration.ofMillis(50));
    CompletableFuture<?> extract = startExtract(extractor);
    Thread.sleep(500);

    long cancelledAt = System.nanoTime();
    cancelled.set(true);
    Throwable failure = failureWithin(extract, Duration.ofSeconds(3));

    assertThat(failure).isSameAs(cancellation);
    assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(Duration.ofSeconds(2));
    assertThat(server.calls("/results")).hasSize(1);
  }

  private static boolean fetchAheadThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().startsWith("extract-page-"));
  }

  /** Whether a fetch-ahead thread is still alive 3 s on (its page would trickle for an hour). */
  private static boolean fetchAheadThreadStillAlive() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (fetchAheadThreadAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return fetchAheadThreadAlive();
  }

  @Test
  void givenNextPageTricklingOnItsReadAheadThread_whenCancelled_thenThatThreadEndsWithTheAttempt()
      throws Exception {
    server.route(
        "/results",
        call ->
            call.query() != null && call.query().contains("locator=2")
                ? Reply.of(200, "text/csv", "Id\n" + "2\n".repeat(10_000)).trickled(5)
                : Reply.of(200, "text/csv", "Id\n1\n").withHeader("Sforce-Locator", "2"));
    PagedExtractor extractor = fixture.extractor(LOCATOR, FormatSpec.CSV);
    CompletableFuture<?> extract = startExtract(extractor);
    Thread.sleep(500);
    assertThat(server.calls("/results")).as("page 2 is asked for").hasSize(2);
    assertThat(server.openBodies()).as("page 2 is streaming").isEqualTo(1);
    assertThat(fetchAheadThreadAlive()).as("fetched on a thread of its own").isTrue();

    cancelled.set(true);
    Throwable failure = failureWithin(extract, Duration.ofSeconds(3));
    awaitNoOpenBody();

    assertThat(failure).isSameAs(cancellation);
    assertThat(fetchAheadThreadStillAlive()).as("no fetch thread outlives the attempt").isFalse();
    assertThat(server.openBodies()).as("the provider's connection is closed").isZero();
  }
}
