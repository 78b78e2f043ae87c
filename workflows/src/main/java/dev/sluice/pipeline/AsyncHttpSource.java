package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The DIL asynchronous ingestion pattern over HTTP: submit a request, poll its status until ready
 * or failed, extract the result page by page, then clean up.
 *
 * @param auth how every request authenticates (default: none)
 * @param submit the request that starts the provider job and yields its request ID
 * @param status how to check the job and decide ready / failed
 * @param extract how to download and parse the result
 * @param cleanup optional abort (on cancel/timeout) and delete (after success) requests
 * @param split when and how a window is halved into several provider jobs; null: never
 * @param concurrency optional provider-wide limit of running jobs, shared by key
 * @param budget optional daily budget of jobs or bytes, shared by key
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AsyncHttpSource(
    AuthSpec auth,
    SubmitSpec submit,
    StatusSpec status,
    ExtractSpec extract,
    CleanupSpec cleanup,
    SplitSpec split,
    ConcurrencySpec concurrency,
    BudgetSpec budget)
    implements SourceSpec {
  public AsyncHttpSource {
    auth = auth == null ? AuthSpec.NONE : auth;
    cleanup = cleanup == null ? new CleanupSpec(null, null) : cleanup;
  }

  /** The same source with {@code submit} instead. */
  public AsyncHttpSource withSubmit(SubmitSpec newSubmit) {
    return new AsyncHttpSource(
        auth, newSubmit, status, extract, cleanup, split, concurrency, budget);
  }
}
