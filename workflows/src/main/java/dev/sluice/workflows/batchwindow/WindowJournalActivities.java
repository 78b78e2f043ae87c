package dev.sluice.workflows.batchwindow;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Keeps window journals beside the destination table. */
@ActivityInterface
public interface WindowJournalActivities {

  /**
   * Writes the journal as JSON, replacing an earlier version atomically (readers see the old or the
   * new one). Idempotent.
   */
  @ActivityMethod
  WindowMessages.JournalResult writeWindowJournal(WindowMessages.JournalRequest request);
}
