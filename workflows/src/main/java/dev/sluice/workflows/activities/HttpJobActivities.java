package dev.sluice.workflows.activities;

import dev.sluice.pipeline.TemplateVariables;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Activities that talk to an asynchronous HTTP provider (the DIL pattern): submit a job, check it,
 * download its result, abort or delete it. Every request is built from the source's templates and
 * the run's variables; secrets are resolved here, never in the workflow.
 *
 * <p>Failures are {@code ApplicationFailure}s typed by {@link FailureType}: 4xx other than 408/429
 * and provider-declared failures are non-retryable; 5xx, 408, 429 and I/O errors are retryable, and
 * a {@code Retry-After} becomes the next retry delay.
 */
@ActivityInterface
public interface HttpJobActivities {

  /**
   * Submits the provider job, or returns the one this run already submitted. A receipt is written
   * to {@link Messages.SubmitRequest#receiptUri()} as soon as the provider answers, so a retry
   * after a worker died reuses the job instead of submitting a second one.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code REQUEST_ID_NOT_FOUND} when the response
   *     holds no request ID where the source says; HTTP failures as described above
   */
  @ActivityMethod
  Messages.SubmitResult submit(Messages.SubmitRequest request);

  /**
   * Reads the run's submit receipt ({@link #submit} creates it once the provider answered); sends
   * no request. Asked after a submit whose answer never reached the workflow (its attempts ran
   * out, timed out or were cancelled), so that a job the provider accepted all the same can be
   * aborted instead of left running. Finding no receipt, closes it (creates a closed receipt
   * naming the run, unless an attempt's receipt comes first): a submit attempt still running then
   * aborts the job it is answered, and one that starts sends nothing.
   *
   * @return the receipt's request ID and values; a null request ID when there is no receipt or it
   *     is closed
   * @throws io.temporal.failure.ApplicationFailure {@code SubmitReceiptInvalid} (non-retryable),
   *     naming the receipt, when it is not a receipt's JSON
   */
  @ActivityMethod
  Messages.ReceiptResult submitted(Messages.ReceiptRequest request);

  /**
   * Checks the job once and classifies its status with {@code readyWhen} / {@code failedWhen}.
   * Never waits: the workflow owns the pacing.
   */
  @ActivityMethod
  Messages.StatusResult checkStatus(Messages.StatusRequest request);

  /**
   * Checks the job once for server-side polling ({@link ServerPolls}): returns a final answer
   * (ready or failed) with the checks it took, and fails a pending one retryably, so that the
   * server checks again after the retry policy's interval (or the provider's {@code Retry-After}).
   * Without a {@code Retry-After} of its own, this is {@link #checkStatus} settled by {@link
   * ServerPolls#settle}.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link ServerPolls#PENDING_TYPE} while the job
   *     is pending; otherwise as {@link #checkStatus}
   */
  // No @ActivityMethod: the SDK refuses it on a default method; every method here is one anyway.
  default ServerPolls.Final checkUntilFinal(Messages.StatusRequest request) {
    return ServerPolls.settle(
        checkStatus(request), request.vars().get(TemplateVariables.REQUEST_ID), null);
  }

  /**
   * Downloads every page of the result and writes it as Parquet into the staging directory,
   * heartbeating its page locator after each file it completes; a retried attempt resumes from the
   * last completed file, so every row lands exactly once.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code MALFORMED_DATA} (non-retryable) when a
   *     page cannot be parsed, naming page and line
   */
  @ActivityMethod
  Messages.ExtractResult extract(Messages.ExtractRequest request);

  /**
   * Counts the parts of a result in parts ({@code extract.result} of type {@code urls} or {@code
   * partitions}) from a fresh status answer and the resolve steps after it: only the count
   * enters history, never a URL.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code ResultPlanInvalid} (non-retryable),
   *     naming the pointer and the answer, when the count is missing, not a number or negative,
   *     or the URL list missing, not a list or empty; otherwise as {@link #extract}
   */
  @ActivityMethod
  PartMessages.Plan planParts(PartMessages.PlanRequest request);

  /**
   * Downloads one part of a result in parts into the run's staging as files {@code
   * part-<part>-…} (five digits), so a retried part overwrites only its own. The part's URL is
   * located again from fresh answers inside the activity; it heartbeats its own checkpoint, and a
   * retried attempt resumes from it.
   *
   * @throws io.temporal.failure.ApplicationFailure as {@link #extract}; {@code ResultPlanInvalid}
   *     when the fresh answer no longer has the part
   */
  @ActivityMethod
  Messages.ExtractResult extractPart(PartMessages.PartRequest request);

  /** Sends the source's abort request, if it has one. An already-final job is not an error. */
  @ActivityMethod
  Messages.CleanupResult abort(Messages.CleanupRequest request);

  /** Sends the source's delete request, if it has one. A job already gone is not an error. */
  @ActivityMethod
  Messages.CleanupResult delete(Messages.CleanupRequest request);
}
