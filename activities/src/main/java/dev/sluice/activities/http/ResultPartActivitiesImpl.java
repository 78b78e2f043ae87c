package dev.sluice.activities.http;

import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.PartMessages.PartRequest;
import dev.sluice.workflows.activities.PartMessages.Plan;
import dev.sluice.workflows.activities.PartMessages.PlanRequest;
import dev.sluice.workflows.activities.ResultPartActivities;

/**
 * {@link ResultPartActivities} over the extract of {@link HttpJobActivitiesImpl}: a part is that
 * extract with its own URL (located from fresh answers by {@link ResultLocator}), its own staged
 * file names and its own heartbeat checkpoint. One instance per worker.
 */
public final class ResultPartActivitiesImpl implements ResultPartActivities {
  private final HttpJobActivitiesImpl jobs;

  /**
   * @param jobs the worker's HTTP job activities, whose clients and extract every part uses
   */
  public ResultPartActivitiesImpl(HttpJobActivitiesImpl jobs) {
    this.jobs = jobs;
  }

  @Override
  public Plan planParts(PlanRequest request) {
    return new Plan(jobs.parts(request.extract()));
  }

  @Override
  public ExtractResult extractPart(PartRequest request) {
    if (request.part() < 0) {
      throw new IllegalArgumentException("a part is 0 or more: " + request.part());
    }
    return jobs.extract(request.extract(), request.part());
  }
}
