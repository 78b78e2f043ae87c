package dev.sluice.workflows.fakes;

import io.temporal.worker.WorkerOptions;
import java.time.Duration;

/** Worker options shared by workflow tests. */
public final class TestWorkers {
  private TestWorkers() {}

  /**
   * Heartbeats reach the server at once, so an activity that heartbeats (a read, a download, a
   * staging) learns of a cancellation in milliseconds.
   */
  public static final WorkerOptions FAST_HEARTBEATS =
      WorkerOptions.newBuilder()
          .setMaxHeartbeatThrottleInterval(Duration.ofMillis(50))
          .setDefaultHeartbeatThrottleInterval(Duration.ofMillis(50))
          .build();
}
