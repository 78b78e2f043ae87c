package dev.sluice.activities.http;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Heartbeats an extraction's checkpoints: each new one at once, and the latest again whenever
 * {@code keepAliveEvery} passed without a heartbeat, so the activity's heartbeat timeout does not
 * fire while a page is fetched or a large file is still being written.
 *
 * <p>Thread-safe: the extracting thread and the attempt's watchdog ({@link AttemptGuard}) both
 * call it. Once a heartbeat throws (the activity was cancelled, or its attempt is no longer
 * current), every later call throws the same exception without heartbeating again.
 */
public final class CheckpointHeartbeat {
  private final Consumer<ExtractCheckpoint> heartbeat;
  private final Runnable cancellationCheck;
  private final Clock clock;
  private final Duration keepAliveEvery;
  private ExtractCheckpoint latest;
  private long lastBeatMillis;
  private RuntimeException failure;

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
    this(heartbeat, () -> {}, clock, keepAliveEvery, initial);
  }

  /**
   * As above, with a check for a cancellation already learnt (from the answer to an earlier
   * heartbeat), which {@link #checkCancelled()} runs between heartbeats.
   *
   * @param cancellationCheck throws when the activity was cancelled ({@code
   *     getCancellationToken()::throwIfCancellationRequested}); runs often, so it must be cheap
   */
  public CheckpointHeartbeat(
      Consumer<ExtractCheckpoint> heartbeat,
      Runnable cancellationCheck,
      Clock clock,
      Duration keepAliveEvery,
      ExtractCheckpoint initial) {
    this.heartbeat = heartbeat;
    this.cancellationCheck = cancellationCheck;
    this.clock = clock;
    this.keepAliveEvery = keepAliveEvery;
    this.latest = initial;
    this.lastBeatMillis = clock.millis();
  }

  /**
   * Heartbeats a new durable checkpoint.
   *
   * @throws RuntimeException what the heartbeat threw, now or earlier
   */
  public synchronized void checkpoint(ExtractCheckpoint checkpoint) {
    latest = checkpoint;
    beat();
  }

  /**
   * Heartbeats the latest checkpoint again if the keep-alive interval has passed.
   *
   * @throws RuntimeException what the heartbeat threw, now or earlier
   */
  public synchronized void keepAlive() {
    if (failure != null) {
      throw failure;
    }
    if (clock.millis() - lastBeatMillis >= keepAliveEvery.toMillis()) {
      beat();
    }
  }

  /**
   * Throws if the activity is known to be cancelled, without heartbeating.
   *
   * @throws RuntimeException what the cancellation check or an earlier heartbeat threw
   */
  public synchronized void checkCancelled() {
    if (failure != null) {
      throw failure;
    }
    try {
      cancellationCheck.run();
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    }
  }

  private void beat() {
    if (failure != null) {
      throw failure;
    }
    try {
      heartbeat.accept(latest);
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    }
    lastBeatMillis = clock.millis();
  }
}
