package dev.sluice.activities.parquet;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;

/**
 * One background thread that runs tasks in submission order, so parsing (the caller) and Parquet
 * encoding (this thread) overlap: measured ~60% faster than one thread. The queue is bounded, so a
 * slow writer slows the parser instead of filling memory.
 *
 * <p>The first failure of a task is kept; later tasks are skipped, and every following {@link
 * #submit} or {@link #drain} throws it, so it is never lost.
 */
final class WriterThread implements AutoCloseable {
  private static final Runnable STOP = () -> {};

  private final BlockingQueue<Runnable> queue;
  private final Thread thread;
  private volatile Throwable failure;

  /** Starts the thread. */
  WriterThread(String name, int capacity) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Queues a task, waiting while the queue is full.
   *
   * @throws RuntimeException the failure of an earlier task, as it was thrown
   */
  void submit(Runnable task) {
    throwFailure();
    put(task);
  }

  /**
   * Waits until every queued task has run. Afterwards the caller may touch the tasks' state
   * directly: the wait is a happens-before edge.
   *
   * @throws RuntimeException the failure of a task, as it was thrown
   */
  void drain() {
    CountDownLatch done = new CountDownLatch(1);
    put(new Barrier(done));
    try {
      done.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the Parquet writer", e);
    }
    throwFailure();
  }

  /** Tasks queued and not yet started: how far the thread is behind its callers. */
  int backlog() {
    return queue.size();
  }

  /** Throws the failure of an earlier task, if any. */
  void throwFailure() {
    Throwable f = failure;
    if (f instanceof RuntimeException r) {
      throw r;
    }
    if (f instanceof Error e) {
      throw e;
    }
  }

  /** Drops queued tasks, lets the running one finish and stops the thread. Idempotent. */
  @Override
  public void close() {
    if (!thread.isAlive()) {
      return;
    }
    queue.clear();
    put(STOP);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void put(Runnable task) {
    try {
      queue.put(task);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while queueing rows for the Parquet writer", e);
    }
  }

  private void run() {
    try {
      for (Runnable task = queue.take(); task != STOP; task = queue.take()) {
        if (failure == null || task instanceof Barrier) {
          try {
            task.run();
          } catch (Throwable t) { // kept and rethrown to the caller, whatever it is
            failure = t;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Marks a point in the queue; runs even after a failure so that {@link #drain} returns. */
  private record Barrier(CountDownLatch done) implements Runnable {
    @Override
    public void run() {
      done.countDown();
    }
  }
}
