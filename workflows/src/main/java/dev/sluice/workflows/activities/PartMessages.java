package dev.sluice.workflows.activities;

import dev.sluice.workflows.activities.Messages.ExtractRequest;

/**
 * Messages of {@link HttpJobActivities#planParts} and {@link HttpJobActivities#extractPart}: a result in parts ({@code extract.result} of type
 * {@code urls} or {@code partitions}). Only counts and indexes cross history, never a URL.
 */
public final class PartMessages {
  private PartMessages() {}

  /**
   * @param extract the whole result's extract request (variables, sink, staging)
   */
  public record PlanRequest(ExtractRequest extract) {}

  /**
   * @param parts how many parts the result has (0 or more)
   */
  public record Plan(int parts) {}

  /**
   * @param extract the whole result's extract request
   * @param part which part, from 0
   */
  public record PartRequest(ExtractRequest extract, int part) {}
}
