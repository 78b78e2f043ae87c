package dev.sluice.activities.http;

import dev.sluice.activities.formats.Compression;
import dev.sluice.activities.formats.PageParser;
import dev.sluice.pipeline.ExtractSpec;
import dev.sluice.pipeline.PaginationSpec;
import java.time.Duration;
import okhttp3.Request;

/**
 * What one extraction fetches and how it reads it. {@link #of} gives the pipeline defaults; the
 * {@code with…} methods change one setting.
 *
 * @param firstPage the rendered request of the first page (URL and headers); later pages change
 *     only its URL
 * @param pagination how to get from one page to the next
 * @param parser the page parser (one per extraction: it keeps the columns across pages)
 * @param compression how page bodies are compressed
 * @param pageTimeout whole-call deadline of one page request ({@code extract.pageTimeout})
 * @param checkpointInterval longest time between durable checkpoints ({@code
 *     extract.checkpointInterval}; zero: after every page)
 * @param maxPages most pages of the run ({@code pagination.maxPages})
 * @param retry how a failed page is retried in place
 * @param refresh how an expired result URL is replaced, or null: an expiry fails as any 4xx
 */
public record ExtractPlan(
    Request firstPage,
    Pagination pagination,
    PageParser parser,
    Compression compression,
    Duration pageTimeout,
    Duration checkpointInterval,
    int maxPages,
    PageRetryPolicy retry,
    ResultRefresh refresh) {

  /** A plan with the pipeline's defaults for everything but what to fetch and how to read it. */
  public static ExtractPlan of(
      Request firstPage, Pagination pagination, PageParser parser, Compression compression) {
    return new ExtractPlan(
        firstPage,
        pagination,
        parser,
        compression,
        ExtractSpec.DEFAULT_PAGE_TIMEOUT,
        ExtractSpec.DEFAULT_CHECKPOINT_INTERVAL,
        PaginationSpec.DEFAULT_MAX_PAGES,
        PageRetryPolicy.DEFAULT,
        null);
  }

  /** This plan with another page deadline. */
  public ExtractPlan withPageTimeout(Duration timeout) {
    return new ExtractPlan(
        firstPage, pagination, parser, compression, timeout, checkpointInterval, maxPages, retry,
        refresh);
  }

  /** This plan with another checkpoint interval. */
  public ExtractPlan withCheckpointInterval(Duration interval) {
    return new ExtractPlan(
        firstPage, pagination, parser, compression, pageTimeout, interval, maxPages, retry,
        refresh);
  }

  /** This plan with another page limit. */
  public ExtractPlan withMaxPages(int pages) {
    return new ExtractPlan(
        firstPage, pagination, parser, compression, pageTimeout, checkpointInterval, pages, retry,
        refresh);
  }

  /** This plan with another retry policy. */
  public ExtractPlan withRetry(PageRetryPolicy policy) {
    return new ExtractPlan(
        firstPage,
        pagination,
        parser,
        compression,
        pageTimeout,
        checkpointInterval,
        maxPages,
        policy,
        refresh);
  }

  /** This plan with a way to replace an expired result URL. */
  public ExtractPlan withRefresh(ResultRefresh fresh) {
    return new ExtractPlan(
        firstPage,
        pagination,
        parser,
        compression,
        pageTimeout,
        checkpointInterval,
        maxPages,
        retry,
        fresh);
  }
}
