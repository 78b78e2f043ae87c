package dev.sluice.activities.http;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;

/**
 * Keeps one extract attempt answerable while its thread waits: a watchdog thread heartbeats every
 * {@code tick} (a page request blocked in a read, or a wait before a retry, heartbeats nothing by
 * itself), and when a heartbeat throws (the run was cancelled, or Temporal gave this attempt up)
 * it cancels the page request in flight and wakes any wait, so the attempt's thread is free within
 * a tick of learning it.
 *
 * <p>Every blocking step the watchdog keeps alive is bounded by its own deadline (the page
 * deadline, a retry's wait), so heartbeating from another thread hides no hang.
 */
final class AttemptGuard implements AutoCloseable {
  private final CheckpointHeartbeat heartbeats;
  private final ScheduledExecutorService watchdog;
  private final Object lock = new Object();
  private Call inFlight;
  private RuntimeException stopped;

  private AttemptGuard(CheckpointHeartbeat heartbeats, Duration tick, String name) {
    this.heartbeats = heartbeats;
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, name);
              thread.setDaemon(true);
              return thread;
            });
    long millis = Math.max(1, tick.toMillis());
    watchdog.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Starts the watchdog of one attempt.
   *
   * @param heartbeats the attempt's heartbeats; a heartbeat that throws stops the attempt
   * @param tick how often the watchdog heartbeats (the heartbeat itself still only sends when its
   *     keep-alive interval has passed)
   * @param name of the watchdog thread, for thread dumps
   */
  static AttemptGuard start(CheckpointHeartbeat heartbeats, Duration tick, String name) {
    return new AttemptGuard(heartbeats, tick, name);
  }

  private void tick() {
    try {
      heartbeats.checkCancelled();
      heartbeats.keepAlive();
    } catch (RuntimeException e) {
      stop(e);
    }
  }

  /**
   * Stops the attempt: the call in flight is cancelled, waits end, and every later check throws
   * {@code reason}.
   */
  void stop(RuntimeException reason) {
    Call call;
    synchronized (lock) {
      if (stopped == null) {
        stopped = reason;
      }
      call = inFlight;
      lock.notifyAll();
    }
    if (call != null) {
      call.cancel();
    }
  }

  /** Cancels the call in flight, if any, without stopping the attempt. */
  void cancelInFlight() {
    Call call;
    synchronized (lock) {
      call = inFlight;
    }
    if (call != null) {
      call.cancel();
    }
  }

  /** The call now in flight, cancelled at once if the attempt is already stopped. */
  void track(Call call) {
    boolean cancel;
    synchronized (lock) {
      inFlight = call;
      cancel = stopped != null;
    }
    if (cancel) {
      call.cancel();
    }
  }

  /** No call in flight any more. */
  void untrack() {
    synchronized (lock) {
      inFlight = null;
    }
  }

  /**
   * Waits {@code duration}, or less if the attempt is stopped meanwhile.
   *
   * @throws RuntimeException the reason the attempt was stopped
   */
  void pause(Duration duration) {
    long end = System.nanoTime() + duration.toNanos();
    synchronized (lock) {
      long left;
      while (stopped == null && (left = end - System.nanoTime()) > 0) {
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting to retry a page", e);
        }
      }
    }
    throwIfStopped();
  }

  /**
   * @throws RuntimeException the reason the attempt was stopped, if it was
   */
  void throwIfStopped() {
    RuntimeException reason;
    synchronized (lock) {
      reason = stopped;
    }
    if (reason != null) {
      throw reason;
    }
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }
}
