package dev.sluice.workflows.activities;

import java.util.Arrays;

/**
 * Types of {@code ApplicationFailure} that activities raise and workflows react to, each with its
 * type string ({@link #type()}) and whether every retry policy lists it in {@code doNotRetry}. The type strings are
 * stable: they appear in recorded histories and in the retry policies' {@code doNotRetry} lists
 * ({@link #nonRetryable()}).
 *
 * <p>Raise one as {@code ApplicationFailure.newNonRetryableFailure(message,
 * FailureType.X.type())}; recognise one with {@code FailureType.X.type().equals(failure.getType())}.
 */
public enum FailureType {
  /** A 4xx answer other than 408/429: our request is wrong; retrying will not help. */
  HTTP_CLIENT_ERROR("HttpClientError", true),

  /** A 5xx, 408 or 429 answer, or an I/O error: retried. */
  HTTP_TRANSIENT("HttpTransient", false),

  /** The provider declared the job failed ({@code failedWhen} matched). */
  PROVIDER_JOB_FAILED("ProviderJobFailed", true),

  /** The submit response had no request ID where the source says. */
  REQUEST_ID_NOT_FOUND("RequestIdNotFound", true),

  /** A page could not be parsed (malformed CSV/JSON). */
  MALFORMED_DATA("MalformedData", true),

  /** A value does not fit its column's declared or inferred type. */
  SCHEMA_MISMATCH("SchemaMismatch", true),

  /** A secret reference could not be resolved on this worker. */
  SECRET_NOT_FOUND("SecretNotFound", true),

  /** The pipeline definition is invalid in a way only a worker can see (bad URI, template). */
  INVALID_PIPELINE("InvalidPipeline", true),

  /** Authentication failed even after refreshing credentials. */
  AUTH_FAILED("AuthFailed", true),

  /**
   * A staged file the run listed is neither in staging nor in the table: the run must start over.
   */
  STAGED_FILE_MISSING("StagedFileMissing", true),

  /** The provider job (or platform batch) did not become ready (final) within its timeout. */
  WAIT_TIMEOUT("WaitTimeout", true),

  /**
   * The data platform reported a batch failed; its error codes and descriptions are in the message.
   */
  PLATFORM_BATCH_FAILED("PlatformBatchFailed", true),

  /**
   * Another run holds the window (two runs of one window may never both publish), or the table's
   * head stayed held by another new window past the run's wait timeout. The message names it.
   */
  WINDOW_BUSY("WindowBusy", true),

  /**
   * A re-run of a window whose rows cannot be told apart from others': an earlier Sluice version
   * published it without recording its watermark range, or a compaction rewrote them into files
   * shared with other runs' rows. Re-reading it could not know which rows it owns. The message
   * says what to do.
   */
  WINDOW_WITHOUT_RANGE("WindowWithoutRange", true),

  /**
   * A page's body ended early or did not decompress on each of a few tries in a row (a truncated
   * gzip stream, a {@code Content-Length} the body never reaches): the provider sends it broken.
   */
  CORRUPT_BODY("CorruptBody", true),

  /** A page request was redirected in a loop (more than 20 redirects). */
  REDIRECT_LOOP("RedirectLoop", true),

  /**
   * A page request missed its whole-call deadline ({@code extract.pageTimeout}) on each of its
   * tries; the message says which page and how much of it arrived in that time.
   */
  PAGE_TOO_SLOW("PageTooSlow", true),

  /**
   * Paging came back to a page already read in the run (a cursor cycle, a next-URL loop, a
   * repeated locator) or got the same body twice in a row (a provider ignoring the page parameter).
   */
  PAGINATION_LOOP("PaginationLoop", true),

  /** An extract reached {@code pagination.maxPages} with more pages announced. */
  TOO_MANY_PAGES("TooManyPages", true),

  /**
   * A platform source's latest batch stayed not final past {@code source.settleTimeout}
   * (non-retryable when raised): reading past it could skip it.
   */
  SOURCE_NOT_SETTLED("SourceNotSettled", false),

  /** A source batch could not be read (non-retryable once its activity's retries are spent). */
  SOURCE_BATCH_FAILED("SourceBatchFailed", false),

  /**
   * A source file asked for by URI does not exist (no such file, HTTP 404/410) or its host does not
   * resolve; raised non-retryable by {@code SourceFileActivities}.
   */
  SOURCE_FILE_NOT_FOUND("SourceFileNotFound", false),

  /**
   * File download: a downloaded file's size or checksum differed from the listing's, twice in a
   * row (a first mismatch is downloaded again at once): the message names the file, expected and
   * actual.
   */
  CHECKSUM_MISMATCH("ChecksumMismatch", false),

  /**
   * File download: a listed file is gone from the source (HTTP 404/410, or no such file under the
   * prefix).
   */
  FILE_NOT_FOUND("SourceFileMissing", false),

  /**
   * File download: the run's outcome when some listed files did not land (raised by the workflow,
   * non-retryable): every other file landed, and a re-run downloads only the missing ones.
   */
  FILES_FAILED("FilesFailed", false),

  /**
   * A JSON pointer of the pipeline ({@code ${submit:/ptr}}, {@code ${status:/ptr}}, {@code
   * ${resolved:/ptr}}) found nothing in the provider's answer, or the answer is not JSON; the
   * message names the pointer and the answer.
   */
  ANSWER_VALUE_MISSING("AnswerValueMissing", false),

  /**
   * A result URL kept expiring: {@code extract.result.maxRefreshes} fresh URLs expired too.
   * Raised non-retryable by the extract.
   */
  RESULT_URL_EXPIRED("ResultUrlExpired", false),

  /**
   * A result in parts could not be counted: the count of {@code extract.result.count} is missing,
   * not a number or negative, or the list at {@code extract.result.pointer} is missing, not a list
   * or empty. Raised non-retryable by the plan activity; the message names the pointer and the
   * answer.
   */
  RESULT_PLAN_INVALID("ResultPlanInvalid", false);

  // Types outside the list are retried, or raised non-retryable where they arise; the list keeps
  // the order earlier retry policies were built with.
  private static final String[] NON_RETRYABLE =
      Arrays.stream(values()).filter(t -> t.doNotRetry).map(FailureType::type).toArray(String[]::new);

  private final String type;
  private final boolean doNotRetry;

  FailureType(String type, boolean doNotRetry) {
    this.type = type;
    this.doNotRetry = doNotRetry;
  }

  /** The {@code ApplicationFailure} type string, as recorded in histories. */
  public String type() {
    return type;
  }

  /**
   * The type strings every retry policy lists in {@code doNotRetry}, in a stable order; a fresh
   * array on each call.
   */
  public static String[] nonRetryable() {
    return NON_RETRYABLE.clone();
  }
}
