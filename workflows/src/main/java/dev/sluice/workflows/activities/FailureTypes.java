package dev.sluice.workflows.activities;

/**
 * Types of {@code ApplicationFailure} that activities raise and workflows react to. Non-retryable
 * types are listed in the activity profiles so a retry policy never repeats them.
 */
public final class FailureTypes {
  private FailureTypes() {}

  /** A 4xx answer other than 408/429: our request is wrong; retrying will not help. */
  public static final String HTTP_CLIENT_ERROR = "HttpClientError";

  /** A 5xx, 408 or 429 answer, or an I/O error: retried. */
  public static final String HTTP_TRANSIENT = "HttpTransient";

  /** The provider declared the job failed ({@code failedWhen} matched). */
  public static final String PROVIDER_JOB_FAILED = "ProviderJobFailed";

  /** The submit response had no request ID where the source says. */
  public static final String REQUEST_ID_NOT_FOUND = "RequestIdNotFound";

  /** A page could not be parsed (malformed CSV/JSON). */
  public static final String MALFORMED_DATA = "MalformedData";

  /** A value does not fit its column's declared or inferred type. */
  public static final String SCHEMA_MISMATCH = "SchemaMismatch";

  /** A secret reference could not be resolved on this worker. */
  public static final String SECRET_NOT_FOUND = "SecretNotFound";

  /** The pipeline definition is invalid in a way only a worker can see (bad URI, template). */
  public static final String INVALID_PIPELINE = "InvalidPipeline";

  /** Authentication failed even after refreshing credentials. */
  public static final String AUTH_FAILED = "AuthFailed";

  /**
   * A staged file the run listed is neither in staging nor in the table: the run must start over.
   */
  public static final String STAGED_FILE_MISSING = "StagedFileMissing";

  /** The provider job (or platform batch) did not become ready (final) within its timeout. */
  public static final String WAIT_TIMEOUT = "WaitTimeout";

  /**
   * The data platform reported a batch failed; its error codes and descriptions are in the message.
   */
  public static final String PLATFORM_BATCH_FAILED = "PlatformBatchFailed";

  /**
   * Another run holds the window (two runs of one window may never both publish), or the table's
   * head stayed held by another new window past the run's wait timeout. The message names it.
   */
  public static final String WINDOW_BUSY = "WindowBusy";

  /**
   * A re-run of a window that an earlier Sluice version published without recording its watermark
   * range: re-reading it could not know which rows it owns. The message says what to do.
   */
  public static final String WINDOW_WITHOUT_RANGE = "WindowWithoutRange";

  /**
   * A page's body ended early or did not decompress on each of a few tries in a row (a truncated
   * gzip stream, a {@code Content-Length} the body never reaches): the provider sends it broken.
   */
  public static final String CORRUPT_BODY = "CorruptBody";

  /** A page request was redirected in a loop (more than 20 redirects). */
  public static final String REDIRECT_LOOP = "RedirectLoop";

  /**
   * A page request missed its whole-call deadline ({@code extract.pageTimeout}) on each of its
   * tries; the message says which page and how much of it arrived in that time.
   */
  public static final String PAGE_TOO_SLOW = "PageTooSlow";

  /**
   * Paging came back to a page already read in the run (a cursor cycle, a next-URL loop, a
   * repeated locator) or got the same body twice in a row (a provider ignoring the page parameter).
   */
  public static final String PAGINATION_LOOP = "PaginationLoop";

  /** An extract reached {@code pagination.maxPages} with more pages announced. */
  public static final String TOO_MANY_PAGES = "TooManyPages";

  /** Every type that must never be retried. */
  public static final String[] NON_RETRYABLE = {
    HTTP_CLIENT_ERROR,
    PROVIDER_JOB_FAILED,
    REQUEST_ID_NOT_FOUND,
    MALFORMED_DATA,
    SCHEMA_MISMATCH,
    SECRET_NOT_FOUND,
    INVALID_PIPELINE,
    AUTH_FAILED,
    STAGED_FILE_MISSING,
    WAIT_TIMEOUT,
    PLATFORM_BATCH_FAILED,
    WINDOW_BUSY,
    WINDOW_WITHOUT_RANGE,
    CORRUPT_BODY,
    REDIRECT_LOOP,
    PAGE_TOO_SLOW,
    PAGINATION_LOOP,
    TOO_MANY_PAGES
  };

  /**
   * A platform source's latest batch stayed not final past {@code source.settleTimeout}
   * (non-retryable): reading past it could skip it.
   */
  public static final String SOURCE_NOT_SETTLED = "SourceNotSettled";

  /** A source batch could not be read (non-retryable once its activity's retries are spent). */
  public static final String SOURCE_BATCH_FAILED = "SourceBatchFailed";

  /**
   * A source file asked for by URI does not exist (no such file, HTTP 404/410) or its host does not
   * resolve; raised non-retryable by {@code SourceFileActivities}.
   */
  public static final String SOURCE_FILE_NOT_FOUND = "SourceFileNotFound";
}
