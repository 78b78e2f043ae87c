package dev.sluice.workflows.common;

import io.temporal.common.SearchAttributeUpdate;
import io.temporal.workflow.Workflow;
import java.util.function.Supplier;

/**
 * A run's current stage, shown by its progress query, in its current details (see {@link
 * RunDetails}) and, when its input allows (the attribute is registered on the namespace), upserted
 * as {@link SearchAttributes#STAGE}. Workflow state: one per run.
 *
 * @param <S> the workflow's stage enum
 */
public final class StageTracker<S extends Enum<S>> {
  private S current;
  private boolean upsert;
  private Supplier<RunDetails> details;

  /** A run that starts in {@code initial}, upserting nothing until {@link #upsert} says so. */
  public StageTracker(S initial) {
    this.current = initial;
  }

  /** The run's details, shown at every stage change and {@link #refresh}. */
  public void describedBy(Supplier<RunDetails> details) {
    this.details = details;
  }

  /** Shows the run's details again, after something in them changed within a stage. */
  public void refresh() {
    if (details != null) {
      details.get().show();
    }
  }

  /** Whether stage changes are upserted from now on. */
  public void upsert(boolean upsert) {
    this.upsert = upsert;
  }

  /** Whether stage changes are upserted. */
  public boolean upserts() {
    return upsert;
  }

  /** Moves to {@code next}, shows it in the details, and tells visibility when allowed. */
  public void enter(S next) {
    current = next;
    if (upsert) {
      Workflow.upsertTypedSearchAttributes(SearchAttributes.STAGE.valueSet(next.name()));
    }
    refresh();
  }

  /**
   * Upserts what the run learnt about itself (its window, its provider job) when stage changes are
   * upserted. Added after histories were recorded: a version marker keeps older ones replaying.
   */
  public void upsert(SearchAttributeUpdate<?>... updates) {
    if (upsert
        && Workflow.getVersion("run-search-attributes", Workflow.DEFAULT_VERSION, 1) >= 1) {
      Workflow.upsertTypedSearchAttributes(updates);
    }
  }

  /**
   * Starts tracking a run of a window: stage changes are upserted when {@code upsert} says the
   * attributes are registered, the details come from {@code details}, and the run's window ({@code
   * logicalDate}) is upserted, in that order.
   */
  public void startWindow(boolean upsert, Supplier<RunDetails> details, String logicalDate) {
    upsert(upsert);
    describedBy(details);
    upsert(SearchAttributes.WINDOW.valueSet(logicalDate));
  }

  /** The current stage. */
  public S current() {
    return current;
  }
}
