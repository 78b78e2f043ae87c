package dev.sluice.activities.http;

import dev.sluice.activities.formats.MalformedDataException;
import dev.sluice.activities.formats.PageSummary;
import dev.sluice.activities.parquet.KeepAliveSink;
import dev.sluice.activities.parquet.InvalidSinkException;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.activities.parquet.RecordSink;
import dev.sluice.activities.parquet.SchemaMismatchException;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The extraction loop, free of Temporal so it can be tested alone: fetch a page whole (retrying it
 * in place when that may help), parse it into the writer, end the page, and heartbeat a checkpoint
 * whenever the pages read so far are durable: when the writer completes a file, and at least every
 * {@link ExtractPlan#checkpointInterval()}. Resuming from a checkpoint refetches only pages not yet
 * in a completed file, so no row is written twice and a crash costs at most that interval.
 *
 * <p>A page is fetched into a {@link PageBuffer} (memory, or a local spool file when it is large)
 * and parsed only once complete: a page that fails half-way leaves no rows to take back, so it is
 * simply asked for again, after the provider's
 * {@code Retry-After} or a backoff, without losing the pages before it. When the next page's URL is
 * in this page's headers, it is fetched on another thread while this one is parsed, so the
 * provider's work and ours overlap as when pages were parsed straight off the connection.
 */
public final class PagedExtractor {
  private static final Logger log = LoggerFactory.getLogger(PagedExtractor.class);

  /** How often the watchdog heartbeats while the extracting thread waits. */
  static final Duration WATCHDOG_TICK = Duration.ofSeconds(1);

  /** Waits before a page is tried again; the attempt's guard ends a wait when it is stopped. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration duration, AttemptGuard guard);
  }

  private final ProviderHttp http;
  private final HttpMetrics metrics;
  private final ExtractPlan plan;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Duration watchdogTick;
  private final PageFetcher fetcher;

  /** The first page's request: replaced by a fresh one when its URL expired. */
  private final ResultUrl result;

  /**
   * @param http sends the page requests
   * @param metrics counts extracted rows
   * @param plan what to fetch and how to read it
   * @param clock times the checkpoint interval
   */
  public PagedExtractor(ProviderHttp http, HttpMetrics metrics, ExtractPlan plan, Clock clock) {
    this(http, metrics, plan, clock, (duration, guard) -> guard.pause(duration), WATCHDOG_TICK);
  }

  PagedExtractor(
      ProviderHttp http,
      HttpMetrics metrics,
      ExtractPlan plan,
      Clock clock,
      Sleeper sleeper,
      Duration watchdogTick) {
    this.http = http;
    this.metrics = metrics;
    this.plan = plan;
    this.clock = clock;
    this.sleeper = sleeper;
    this.watchdogTick = watchdogTick;
    this.fetcher =
        new PageFetcher(http, plan.compression(), plan.pageTimeout(), null, plan.refresh());
    this.result = new ResultUrl(plan.firstPage(), plan.refresh(), clock);
  }

  /** The checkpoint of an extraction that has not read anything yet. */
  public ExtractCheckpoint start() {
    return new ExtractCheckpoint(plan.pagination().first(), 0, null, PageHistory.EMPTY);
  }

  /**
   * Reads every page from {@code from} on into {@code writer} and finishes it. On any failure the
   * writer is closed (abandoning its unfinished file) before the failure propagates. Every failure
   * names the page and its request (URL with query, secrets hidden).
   *
   * @param writer created from {@code from.writer()}
   * @param from where to start: {@link #start()} or the last heartbeated checkpoint
   * @param heartbeats receives each new checkpoint, and keep-alives in between (from a watchdog
   *     thread too, while a page is fetched or a retry waits); when it throws, the page request in
   *     flight is cancelled and the attempt ends with what it threw
   * @return counts, files and watermark of everything written, including before {@code from}
   * @throws ApplicationFailure non-retryable {@link FailureType#MALFORMED_DATA} for a page that
   *     does not parse, {@link FailureType#SCHEMA_MISMATCH} for a value that does not fit its
   *     column, {@link FailureType#CORRUPT_BODY}, {@link FailureType#PAGE_TOO_SLOW}, {@link
   *     FailureType#REDIRECT_LOOP}, {@link FailureType#PAGINATION_LOOP}, {@link
   *     FailureType#TOO_MANY_PAGES}; retryable {@link FailureType#HTTP_TRANSIENT} when a page
   *     keeps failing transiently after its tries in place; the provider's 4xx as {@link
   *     ProviderHttp#execute(Request)} throws them
   */
  public ExtractResult run(
      PageWriter writer, ExtractCheckpoint from, CheckpointHeartbeat heartbeats) {
    try (AttemptGuard guard =
        AttemptGuard.start(heartbeats, watchdogTick, "extract-watchdog-" + from.pages())) {
      int pages = readPages(writer, from, heartbeats, guard);
      WriterState done = writer.finish();
      return new ExtractResult(
          done.rows(),
          done.bytes(),
          List.copyOf(done.files()),
          pages,
          done.maxWatermark(),
          done.dropped());
    } catch (InvalidSinkException e) {
      throw abandon(
          writer,
          ApplicationFailure.newNonRetryableFailureWithCause(
              e.getMessage(), FailureType.INVALID_PIPELINE.type(), e));
    } catch (SchemaMismatchException e) {
      // Thrown by finish(): the writer thread's failure for the last rows.
      throw abandon(
          writer,
          ApplicationFailure.newNonRetryableFailureWithCause(
              e.getMessage(), FailureType.SCHEMA_MISMATCH.type(), e));
    } catch (RuntimeException e) {
      throw abandon(writer, e);
    }
  }

  private int readPages(
      PageWriter writer,
      ExtractCheckpoint from,
      CheckpointHeartbeat heartbeats,
      AttemptGuard guard) {
    RecordSink sink = new KeepAliveSink(writer, records -> heartbeats.keepAlive());
    PaginationGuard loops = new PaginationGuard(plan.maxPages(), from.history());
    PageCursor cursor = from.next();
    int pages = from.pages();
    long lastDurable = clock.millis();
    PageAhead ahead = null;
    try {
      while (cursor != null) {
        int page = pages + 1;
        Request request = requestFor(cursor);
        FetchedPage fetched;
        if (ahead != null && ahead.isFor(request)) {
          loops.beforeFetch(page, request);
          fetched = ahead.take();
        } else {
          if (ahead != null) {
            ahead.cancel();
          }
          loops.beforeFetch(page, request);
          fetched = fetch(request, cursor, page, guard, heartbeats);
        }
        ahead = null;
        try {
          loops.beforeParse(page, request, fetched);
          ahead = fetchAhead(cursor, fetched, page, loops, guard, heartbeats);
          PageSummary summary = parse(fetched, request, page, sink);
          loops.parsed(fetched, summary.records());
          metrics.rows(request.url().host(), summary.records());
          cursor =
              plan.pagination()
                  .next(
                      cursor,
                      new Pagination.ReadPage(fetched.url(), fetched.headers()::get, summary));
        } finally {
          fetched.discard();
        }
        pages = page;
        WriterState state = endPage(writer, lastDurable, request, page);
        if (state != null) {
          lastDurable = clock.millis();
          heartbeats.checkpoint(new ExtractCheckpoint(cursor, pages, state, loops.history()));
        } else {
          heartbeats.keepAlive();
        }
      }
      return pages;
    } finally {
      if (ahead != null) {
        ahead.cancel();
      }
    }
  }

  private Request requestFor(PageCursor cursor) {
    Request first = result.firstPage();
    return first.newBuilder().url(plan.pagination().pageUrl(first.url(), cursor)).build();
  }

  /**
   * Starts fetching the page after {@code fetched} on another thread when its URL is known without
   * parsing (a locator header): the provider prepares and sends it while this page is parsed, as
   * when pages were parsed straight off the connection. Null when it is not known, there is none,
   * or paging would stop there anyway.
   */
  private PageAhead fetchAhead(
      PageCursor cursor,
      FetchedPage fetched,
      int page,
      PaginationGuard loops,
      AttemptGuard guard,
      CheckpointHeartbeat heartbeats) {
    if (plan.pagination().nextNeedsBody()) {
      return null;
    }
    PageCursor next =
        plan.pagination()
            .next(cursor, new Pagination.ReadPage(fetched.url(), fetched.headers()::get, null));
    if (next == null) {
      return null;
    }
    Request request = requestFor(next);
    if (!loops.accepts(page + 1, request)) {
      return null; // the loop guard fails it in turn, with the right page in its message
    }
    return new PageAhead(
        request, page + 1, guard, () -> fetch(request, next, page + 1, guard, heartbeats));
  }

  /**
   * Ends a page in the writer, completing the open file when it reached its size or the checkpoint
   * interval passed; returns the new durable state then, else null.
   */
  private WriterState endPage(PageWriter writer, long lastDurable, Request request, int page) {
    try {
      WriterState state = writer.endPage();
      if (state == null
          && clock.millis() - lastDurable >= plan.checkpointInterval().toMillis()) {
        state = writer.checkpoint();
      }
      return state;
    } catch (SchemaMismatchException e) {
      throw schemaMismatch(e, request, page);
    }
  }

  private static ApplicationFailure schemaMismatch(
      SchemaMismatchException e, Request request, int page) {
    return ApplicationFailure.newNonRetryableFailureWithCause(
        "page " + page + " (" + HttpFailures.describe(request) + "): " + e.getMessage(),
        FailureType.SCHEMA_MISMATCH.type(),
        e);
  }

  /**
   * Fetches a page whole, trying it again in place while {@link PageRetries} allows; a try after
   * a break asks for the rest of the body only ({@link PartialBody}), from a fresh URL when the
   * one used expired.
   */
  private FetchedPage fetch(
      Request request,
      PageCursor cursor,
      int page,
      AttemptGuard guard,
      CheckpointHeartbeat heartbeats) {
    PageRetries retries = new PageRetries(plan.retry(), page);
    Request sent = request;
    try (PartialBody body = fetcher.newBody()) {
      while (true) {
        Request first = result.firstPage();
        if (result.renewIfExpiring(first)) {
          // The same page of the fresh result: its cursor over the new first page.
          sent = requestFor(cursor);
          first = result.firstPage();
        }
        try {
          return fetcher.fetch(sent, page, guard, heartbeats::keepAlive, body);
        } catch (ResultExpired expired) {
          result.expired(first, expired);
          sent = requestFor(cursor);
        } catch (PageFailure failure) {
          Duration wait = retries.next(failure);
          log.info(
              "page {} failed (try {}): {}; trying it again in {}",
              page,
              retries.tries(),
              failure.getMessage(),
              HttpFailures.duration(wait));
          sleeper.sleep(wait, guard);
        }
      }
    }
  }

  /** Parses a complete page into the sink; failures name the page and its request. */
  private PageSummary parse(FetchedPage fetched, Request request, int page, RecordSink sink) {
    try (InputStream in = fetched.open()) {
      // An HTML error page answered with 200 is refused before a byte of it is read as data.
      plan.parser().checkMediaType(page, "the provider", fetched.headers().get("Content-Type"));
      return plan.parser().parse(in, page, sink);
    } catch (MalformedDataException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          e.getMessage() + " (" + HttpFailures.describe(request) + ")",
          FailureType.MALFORMED_DATA.type(),
          e);
    } catch (SchemaMismatchException e) {
      throw schemaMismatch(e, request, page);
    } catch (OutOfMemoryError e) {
      // A single huge field or record (a 100 MiB value): the same on every try, so not retried.
      // The parser's buffers are garbage once this is thrown, so the worker goes on.
      throw ApplicationFailure.newNonRetryableFailure(
          "page "
              + page
              + " ("
              + HttpFailures.describe(request)
              + ", "
              + fetched.bytes()
              + " bytes): ran out of memory parsing it; a field or record is larger than a worker"
              + " can hold ("
              + e.getMessage()
              + ")",
          FailureType.MALFORMED_DATA.type());
    } catch (IOException e) {
      // The page's buffer, complete in memory or on disk: not the provider's fault.
      throw new UncheckedIOException("cannot read the spooled page " + page + ": " + e, e);
    }
  }

  private static RuntimeException abandon(PageWriter writer, RuntimeException failure) {
    try {
      writer.close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }
}
