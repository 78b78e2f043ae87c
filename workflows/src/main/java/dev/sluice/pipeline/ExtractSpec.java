package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;
import java.util.Map;

/**
 * How to download a ready job's result.
 *
 * @param url URL template of the first page
 * @param headers header templates
 * @param format how a page's body is parsed (default CSV with a header row)
 * @param compression {@code auto} (default: gzip when the response says so), {@code gzip}, {@code
 *     none}
 * @param pagination how to get from one page to the next (default: a single page)
 * @param pageTimeout the whole-call deadline of one page request, from sending it to the last byte
 *     of its body (default {@link #DEFAULT_PAGE_TIMEOUT}); a page that misses it twice fails the
 *     run
 * @param checkpointInterval how often, at most, the pages read so far are made durable (their
 *     staged file completed), so a new attempt after a crash resumes there (default {@link
 *     #DEFAULT_CHECKPOINT_INTERVAL}; zero: after every page). Shorter means less to read again
 *     after a crash and more, smaller staged files.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExtractSpec(
    String url,
    Map<String, String> headers,
    FormatSpec format,
    String compression,
    PaginationSpec pagination,
    Duration pageTimeout,
    Duration checkpointInterval,
    ResultSpec result) {

  /** Generous for a provider streaming a big page, short of holding a worker for ever. */
  public static final Duration DEFAULT_PAGE_TIMEOUT = Duration.ofMinutes(5);

  /**
   * About the time Temporal takes to receive a heartbeat anyway, so a crash costs about half a
   * minute of download, without rolling a small file for every page.
   */
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(30);

  public ExtractSpec {
    headers = RequestSpec.headers(headers);
    format = format == null ? FormatSpec.CSV : format;
    compression = compression == null ? "auto" : compression;
    pagination = pagination == null ? PaginationSpec.NONE : pagination;
    pageTimeout = pageTimeout == null ? DEFAULT_PAGE_TIMEOUT : pageTimeout;
    checkpointInterval =
        checkpointInterval == null ? DEFAULT_CHECKPOINT_INTERVAL : checkpointInterval;
    result = result == null ? ResultSpec.TEMPLATE : result;
  }
}
