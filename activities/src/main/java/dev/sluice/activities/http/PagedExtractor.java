package dev.sluice.activities.http;

import dev.sluice.activities.formats.MalformedDataException;
import dev.sluice.activities.formats.PageSummary;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.activities.parquet.RecordSink;
import dev.sluice.activities.parquet.SchemaMismatchException;
import dev.sluice.workflows.activities.FailureTypes;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The extraction loop, free of Temporal so it can be tested alone: fetch a page, stream it through
 * the parser into the writer, end the page, and heartbeat a checkpoint whenever the writer
 * completes a file. Resuming from a checkpoint refetches only pages not yet in a completed file, so
 * no row is written twice.
 */
public final class PagedExtractor {
  /** Records between two looks at the keep-alive clock: cheap, yet often enough for any page. */
  private static final int KEEP_ALIVE_CHECK_EVERY = 1024;

  private final ProviderHttp http;
  private final HttpMetrics metrics;
  private final ExtractPlan plan;

  /**
   * @param http sends the page requests
   * @param metrics counts extracted rows
   * @param plan what to fetch and how to read it
   */
  public PagedExtractor(ProviderHttp http, HttpMetrics metrics, ExtractPlan plan) {
    this.http = http;
    this.metrics = metrics;
    this.plan = plan;
  }

  /** The checkpoint of an extraction that has not read anything yet. */
  public ExtractCheckpoint start() {
    return new ExtractCheckpoint(plan.pagination().first(), 0, null);
  }

  /**
   * Reads every page from {@code from} on into {@code writer} and finishes it. On any failure the
   * writer is closed (abandoning its unfinished file) before the failure propagates.
   *
   * @param writer created from {@code from.writer()}
   * @param from where to start: {@link #start()} or the last heartbeated checkpoint
   * @param heartbeats receives each new checkpoint, and keep-alives in between
   * @return counts, files and watermark of everything written, including before {@code from}
   * @throws ApplicationFailure non-retryable {@link FailureTypes#MALFORMED_DATA} for a page that
   *     does not parse, {@link FailureTypes#SCHEMA_MISMATCH} for a value that does not fit its
   *     column; retryable {@link FailureTypes#HTTP_TRANSIENT} when a page cannot be read to its
   *     end; HTTP failures as {@link ProviderHttp#execute(Request)} throws them
   */
  public ExtractResult run(
      PageWriter writer, ExtractCheckpoint from, CheckpointHeartbeat heartbeats) {
    try {
      int pages = readPages(writer, from, heartbeats);
      WriterState done = writer.finish();
      return new ExtractResult(
          done.rows(),
          done.bytes(),
          List.copyOf(done.files()),
          pages,
          done.maxWatermark(),
          done.dropped());
    } catch (MalformedDataException e) {
      throw abandon(
          writer,
          ApplicationFailure.newNonRetryableFailureWithCause(
              e.getMessage(), FailureTypes.MALFORMED_DATA, e));
    } catch (SchemaMismatchException e) {
      throw abandon(
          writer,
          ApplicationFailure.newNonRetryableFailureWithCause(
              e.getMessage(), FailureTypes.SCHEMA_MISMATCH, e));
    } catch (dev.sluice.activities.parquet.InvalidSinkException e) {
      throw abandon(
          writer,
          ApplicationFailure.newNonRetryableFailureWithCause(
              e.getMessage(), FailureTypes.INVALID_PIPELINE, e));
    } catch (RuntimeException e) {
      throw abandon(writer, e);
    }
  }

  private int readPages(PageWriter writer, ExtractCheckpoint from, CheckpointHeartbeat heartbeats) {
    RecordSink sink = new KeepAliveSink(writer, heartbeats);
    PageCursor cursor = from.next();
    int pages = from.pages();
    while (cursor != null) {
      Request request =
          plan.firstPage()
              .newBuilder()
              .url(plan.pagination().pageUrl(plan.firstPage().url(), cursor))
              .build();
      cursor = readPage(request, cursor, pages + 1, sink);
      pages++;
      WriterState state = writer.endPage();
      if (state != null) {
        heartbeats.checkpoint(new ExtractCheckpoint(cursor, pages, state));
      } else {
        heartbeats.keepAlive();
      }
    }
    return pages;
  }

  /** Reads one page into the sink; returns the cursor of the next page, or null. */
  private PageCursor readPage(Request request, PageCursor cursor, int page, RecordSink sink) {
    try (Response response = http.execute(request)) {
      PageSummary summary;
      try (ResponseBody body = response.body();
          InputStream in =
              plan.compression()
                  .decode(
                      body.byteStream(),
                      response.header("Content-Encoding"),
                      response.header("Content-Type"))) {
        summary = plan.parser().parse(in, page, sink);
      } catch (IOException e) {
        // A connection dropped mid-page: retryable, and the retry resumes at the last checkpoint.
        throw HttpFailures.forIo(request, e);
      }
      metrics.rows(request.url().host(), summary.records());
      return plan.pagination()
          .next(
              cursor, new Pagination.ReadPage(response.request().url(), response::header, summary));
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

  /** Passes records on, keeping the heartbeat alive through long pages. */
  private static final class KeepAliveSink implements RecordSink {
    private final RecordSink target;
    private final CheckpointHeartbeat heartbeats;
    private int sinceCheck;

    KeepAliveSink(RecordSink target, CheckpointHeartbeat heartbeats) {
      this.target = target;
      this.heartbeats = heartbeats;
    }

    @Override
    public void columns(List<String> names) {
      target.columns(names);
    }

    @Override
    public void record(Object[] values) {
      target.record(values);
      if (++sinceCheck == KEEP_ALIVE_CHECK_EVERY) {
        sinceCheck = 0;
        heartbeats.keepAlive();
      }
    }
  }
}
