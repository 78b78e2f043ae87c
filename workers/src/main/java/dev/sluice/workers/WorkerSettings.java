package dev.sluice.workers;

import dev.sluice.workflows.common.TaskQueues;
import java.time.Duration;
import java.util.Map;

/**
 * Where a worker connects, from Temporal's own environment conventions.
 *
 * @param address {@code TEMPORAL_ADDRESS} (default {@code 127.0.0.1:7233})
 * @param namespace {@code TEMPORAL_NAMESPACE} (default {@code default})
 * @param taskQueue {@code SLUICE_TASK_QUEUE} (default {@code sluice})
 * @param drain {@code SLUICE_DRAIN_SECONDS}: on SIGTERM, how long running activities may take to
 *     finish before the worker stops (default 30s)
 * @param limits workflow cache, concurrency and rate limits ({@link WorkerLimits})
 */
public record WorkerSettings(
    String address, String namespace, String taskQueue, Duration drain, WorkerLimits limits) {

  /** Reads the settings from an environment map (usually {@code System.getenv()}). */
  public static WorkerSettings fromEnvironment(Map<String, String> env) {
    String drainSeconds = env.getOrDefault("SLUICE_DRAIN_SECONDS", "30");
    Duration drain;
    try {
      drain = Duration.ofSeconds(Long.parseLong(drainSeconds.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "SLUICE_DRAIN_SECONDS: '" + drainSeconds + "' is not a whole number of seconds");
    }
    return new WorkerSettings(
        env.getOrDefault("TEMPORAL_ADDRESS", "127.0.0.1:7233"),
        env.getOrDefault("TEMPORAL_NAMESPACE", "default"),
        env.getOrDefault("SLUICE_TASK_QUEUE", TaskQueues.DEFAULT),
        drain,
        WorkerLimits.fromEnvironment(env));
  }
}
