package dev.sluice.activities.http;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Heartbeats an extraction's checkpoints: each new one at once, and the latest again whenever
 * {@code keepAliveEvery} passed without a heartbeat, so the activity's heartbeat timeout does not
 * fire while a large file is still being written.
 */
public final class CheckpointHeartbeat {
  private final Consumer<ExtractCheckpoint> heartbeat;
  private final Clock clock;
  private final Duration keepAliveEvery;
  private ExtractCheckpoint latest;
  private long lastBeatMillis;

  /**
   * @param heartbeat sends details to Temporal ({@code ActivityExecutionContext::heartbeat}); may
   *     throw when the activity was cancelled
   * @param clock measures the keep-alive interval
   * @param keepAliveEvery longest time without a heartbeat
   * @param initial the checkpoint the extraction starts from
   */
  public CheckpointHeartbeat(
      Consumer<ExtractCheckpoint> heartbeat,
      Clock clock,
      Duration keepAliveEvery,
      ExtractCheckpoint initial) {
    this.heartbeat = heartbeat;
    this.clock = clock;
    this.keepAliveEvery = keepAliveEvery;
    this.latest = initial;
    this.lastBeatMillis = clock.millis();
  }

  /** Heartbeats a new durable checkpoint. */
  public void checkpoint(ExtractCheckpoint checkpoint) {
    latest = checkpoint;
    beat();
  }

  /** Heartbeats the latest checkpoint again if the keep-alive interval has passed. */
  public void keepAlive() {
    if (clock.millis() - lastBeatMillis >= keepAliveEvery.toMillis()) {
      beat();
    }
  }

  private void beat() {
    heartbeat.accept(latest);
    lastBeatMillis = clock.millis();
  }
}
