package dev.sluice.workflows.fakes;

import java.time.Duration;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * What fake activities did, in order, written from activity threads; a test thread can wait for
 * an entry without polling ({@link #await}).
 */
public final class Journal extends CopyOnWriteArrayList<String> {
  private static final long serialVersionUID = 1L;

  @Override
  public boolean add(String entry) {
    boolean added = super.add(entry);
    synchronized (this) {
      notifyAll();
    }
    return added;
  }

  /**
   * Waits until {@code entry} is written, at most {@code timeout}.
   *
   * @throws AssertionError when it was not written in time
   */
  public synchronized void await(String entry, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!contains(entry)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("'" + entry + "' was never written; the journal: " + this);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }
}
