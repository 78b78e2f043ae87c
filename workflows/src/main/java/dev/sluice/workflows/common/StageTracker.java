package dev.sluice.workflows.common;

import io.temporal.workflow.Workflow;

/**
 * A run's current stage, shown by its progress query and, when its input allows (the attribute is
 * registered on the namespace), upserted as {@link SearchAttributes#STAGE}. Workflow state: one
 * per run.
 *
 * @param <S> the workflow's stage enum
 */
public final class StageTracker<S extends Enum<S>> {
  private S current;
  private boolean upsert;

  /** A run that starts in {@code initial}, upserting nothing until {@link #upsert} says so. */
  public StageTracker(S initial) {
    this.current = initial;
  }

  /** Whether stage changes are upserted from now on. */
  public void upsert(boolean upsert) {
    this.upsert = upsert;
  }

  /** Whether stage changes are upserted. */
  public boolean upserts() {
    return upsert;
  }

  /** Moves to {@code next}, and tells visibility when allowed. */
  public void enter(S next) {
    current = next;
    if (upsert) {
      Workflow.upsertTypedSearchAttributes(SearchAttributes.STAGE.valueSet(next.name()));
    }
  }

  /** The current stage. */
  public S current() {
    return current;
  }
}
