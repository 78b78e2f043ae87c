package dev.sluice.activities.platform;

import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;

/**
 * Heartbeats an upload's committed byte offset: at once when a chunk is committed, and at most
 * every {@code every} while bytes are flowing, so a slow transfer never looks like a dead worker.
 */
final class ThrottledHeartbeat {
  private final ActivityExecutionContext context;
  private final long everyNanos;
  private long last = System.nanoTime();

  ThrottledHeartbeat(ActivityExecutionContext context, Duration every) {
    this.context = context;
    this.everyNanos = every.toNanos();
  }

  /** Records {@code committed} now. */
  void beat(long committed) {
    last = System.nanoTime();
    context.heartbeat(committed);
  }

  /** Records {@code committed} if the last heartbeat is older than the interval. */
  void keepAlive(long committed) {
    if (System.nanoTime() - last > everyNanos) {
      beat(committed);
    }
  }
}
