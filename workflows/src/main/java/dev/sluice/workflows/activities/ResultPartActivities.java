package dev.sluice.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The parts of an asynchronous HTTP provider's result ({@code extract.result} of type {@code urls}
 * or {@code partitions}): how many there are, and each part's download. Every call asks the
 * provider for the status again and takes what it needs from the fresh answer, so a result URL (a
 * bearer credential while it lives) never enters workflow history.
 */
@ActivityInterface
public interface ResultPartActivities {

  /**
   * Counts the result's parts from a fresh status answer (and the resolve steps after it).
   *
   * @throws io.temporal.failure.ApplicationFailure {@code ResultPlanInvalid} (non-retryable),
   *     naming the pointer and the answer, when the count is missing, not a number or negative,
   *     or the URL list missing, not a list or empty; {@code AnswerValueMissing} as the extract
   *     does; HTTP failures as {@link HttpJobActivities} describes
   */
  @ActivityMethod
  PartMessages.Plan planParts(PartMessages.PlanRequest request);

  /**
   * Downloads one part into the run's staging as files {@code part-<part>-…} (five digits), so a
   * retried part overwrites only its own. Heartbeats its own checkpoint, and a retried attempt
   * resumes from it; the part's URL is located again inside the activity.
   *
   * @throws io.temporal.failure.ApplicationFailure as {@link HttpJobActivities#extract}; {@code
   *     ResultPlanInvalid} when the fresh answer no longer has the part
   */
  @ActivityMethod
  Messages.ExtractResult extractPart(PartMessages.PartRequest request);
}
