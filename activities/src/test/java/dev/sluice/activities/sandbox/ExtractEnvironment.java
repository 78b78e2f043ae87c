package dev.sluice.activities.sandbox;

import dev.sluice.activities.http.ExtractCheckpoint;
import dev.sluice.workflows.activities.HttpJobActivities;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Runs {@code extract} as Temporal runs it: inside an activity context that takes its heartbeats
 * and hands a "retried attempt" the details of the last one. Temporal's test environment runs each
 * call once; a retry is simulated by calling again with {@link #resumeFrom}.
 *
 * <p>The first heartbeat of an attempt reaches the listener synchronously, before the activity
 * reads its next page; later ones are throttled by the SDK and may arrive late or not at all.
 */
final class ExtractEnvironment implements AutoCloseable {
  private final TestActivityEnvironment env = TestActivityEnvironment.newInstance();
  private final HttpJobActivities stub;
  private final List<ExtractCheckpoint> heartbeats = new CopyOnWriteArrayList<>();
  private volatile Consumer<ExtractCheckpoint> onHeartbeat = checkpoint -> {};

  ExtractEnvironment(HttpJobActivities activities) {
    this(activities, null);
  }

  /**
   * As {@link #ExtractEnvironment(HttpJobActivities)}, with a heartbeat timeout: the SDK then sends
   * heartbeats at most every 0.8 of it (instead of every 30s), so the listener sees checkpoints
   * soon after they are taken, and a {@link #cancel()} reaches the activity that soon.
   */
  ExtractEnvironment(HttpJobActivities activities, Duration heartbeatTimeout) {
    env.registerActivitiesImplementations(activities);
    env.setActivityHeartbeatListener(
        ExtractCheckpoint.class,
        checkpoint -> {
          heartbeats.add(checkpoint);
          onHeartbeat.accept(checkpoint);
        });
    ActivityOptions.Builder options =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofSeconds(60))
            // One attempt per call: the tests decide what a retry starts from.
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build());
    if (heartbeatTimeout != null) {
      options.setHeartbeatTimeout(heartbeatTimeout);
    }
    stub = env.newActivityStub(HttpJobActivities.class, options.build());
  }

  /** Runs {@code action} on every heartbeat, in the heartbeat's thread. */
  void onHeartbeat(Consumer<ExtractCheckpoint> action) {
    this.onHeartbeat = action;
  }

  /** The next call starts as a retry whose last attempt heartbeated {@code checkpoint}. */
  void resumeFrom(ExtractCheckpoint checkpoint) {
    env.setHeartbeatDetails(checkpoint);
  }

  ExtractResult extract(ExtractRequest request) {
    return stub.extract(request);
  }

  /** Asks the running extract to stop, as {@code sluice cancel} does; a heartbeat carries it. */
  void cancel() {
    env.requestCancelActivity();
  }

  /** Checkpoints heartbeated so far, oldest first. */
  List<ExtractCheckpoint> heartbeats() {
    return List.copyOf(heartbeats);
  }

  @Override
  public void close() {
    env.close();
  }
}
