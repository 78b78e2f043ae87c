package dev.sluice.sandbox.iceberg;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.CommitFailedException;

/**
 * Faults of table commits ({@code POST v1/namespaces/{ns}/tables/{t}}), set from Java by tests,
 * and the count of commits applied. Each fault is consumed by the next commit it applies to.
 */
final class CommitKnobs {
  private final AtomicInteger conflicts = new AtomicInteger();
  private final AtomicInteger lostAnswers = new AtomicInteger();
  private final AtomicReference<Runnable> beforeNext = new AtomicReference<>();
  private final AtomicInteger applied = new AtomicInteger();

  void conflicts(int times) {
    conflicts.addAndGet(times);
  }

  void loseAnswers(int times) {
    lostAnswers.addAndGet(times);
  }

  void beforeNextCommit(Runnable action) {
    beforeNext.set(action);
  }

  int applied() {
    return applied.get();
  }

  /**
   * Before a commit is checked: runs the action set for it (once; a commit the action makes itself
   * does not run it again), then refuses the commit with 409 while conflicts are queued.
   *
   * @throws CommitFailedException while conflicts are queued, as when another writer won
   */
  void beforeCommit(TableIdentifier table) {
    Runnable action = beforeNext.getAndSet(null);
    if (action != null) {
      action.run();
    }
    if (takeOne(conflicts)) {
      throw new CommitFailedException(
          "Commit conflict on %s: another writer committed first (sandbox knob)", table);
    }
  }

  /** After a commit was applied: whether its answer is sent (false: it is lost). */
  boolean afterCommit() {
    applied.incrementAndGet();
    return !takeOne(lostAnswers);
  }

  private static boolean takeOne(AtomicInteger counter) {
    return counter.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }
}
