package dev.sluice.workers;

import java.util.Map;

/**
 * How much one worker takes on, and how fast a task queue may call its providers.
 *
 * @param workflowCacheSize {@code SLUICE_WORKFLOW_CACHE_SIZE}: workflow executions kept in memory
 *     between tasks (default 600, the SDK's); 0 caches none, so every workflow task replays its
 *     run's history. The SDK (1.38) has no switch for sticky task queues: its workers still poll
 *     one, whatever the cache size
 * @param maxConcurrentActivities {@code SLUICE_MAX_CONCURRENT_ACTIVITIES}: activities one worker
 *     runs at once (default 200, the SDK's); bounds this worker's concurrent provider calls and
 *     downloads
 * @param activitiesPerSecond {@code SLUICE_TASK_QUEUE_ACTIVITIES_PER_SECOND}: activities started
 *     per second across every worker of the task queue, enforced by the server (default 0:
 *     unlimited). With one task queue per provider, this is that provider's rate limit.
 * @param workflowPollers {@code SLUICE_WORKFLOW_TASK_POLLERS}: concurrent workflow task polls
 *     (default 5, the SDK's). Each run's tasks wait for a free poll: with a thousand runs in flight
 *     and a server a few milliseconds away, five polls bound how many tasks a second reach the
 *     worker (docs/performance.md, "Jobs in flight")
 * @param activityPollers {@code SLUICE_ACTIVITY_TASK_POLLERS}: concurrent activity task polls
 *     (default 5, the SDK's); each status check is an activity task
 */
public record WorkerLimits(
    int workflowCacheSize,
    int maxConcurrentActivities,
    double activitiesPerSecond,
    int workflowPollers,
    int activityPollers) {

  /** The SDK's defaults, no rate limit. */
  public static final WorkerLimits DEFAULTS = new WorkerLimits(600, 200, 0, 5, 5);

  /** Limits with the SDK's poller counts. */
  public WorkerLimits(
      int workflowCacheSize, int maxConcurrentActivities, double activitiesPerSecond) {
    this(workflowCacheSize, maxConcurrentActivities, activitiesPerSecond, 5, 5);
  }

  public WorkerLimits {
    if (workflowCacheSize < 0) {
      throw new IllegalArgumentException(
          "workflow cache size must be >= 0, got " + workflowCacheSize);
    }
    if (maxConcurrentActivities < 1) {
      throw new IllegalArgumentException(
          "max concurrent activities must be >= 1, got " + maxConcurrentActivities);
    }
    if (workflowPollers < 2 || activityPollers < 1) {
      throw new IllegalArgumentException(
          "pollers: at least 2 workflow task pollers (one sticky, one not) and 1 activity task"
              + " poller, got "
              + workflowPollers
              + " and "
              + activityPollers);
    }
    if (activitiesPerSecond < 0 || Double.isNaN(activitiesPerSecond)) {
      throw new IllegalArgumentException(
          "activities per second must be >= 0 (0: unlimited), got " + activitiesPerSecond);
    }
  }

  /** Reads the limits from an environment map, defaulting each to {@link #DEFAULTS}. */
  public static WorkerLimits fromEnvironment(Map<String, String> env) {
    return new WorkerLimits(
        (int) number(env, "SLUICE_WORKFLOW_CACHE_SIZE", DEFAULTS.workflowCacheSize()),
        (int) number(env, "SLUICE_MAX_CONCURRENT_ACTIVITIES", DEFAULTS.maxConcurrentActivities()),
        number(env, "SLUICE_TASK_QUEUE_ACTIVITIES_PER_SECOND", DEFAULTS.activitiesPerSecond()),
        (int) number(env, "SLUICE_WORKFLOW_TASK_POLLERS", DEFAULTS.workflowPollers()),
        (int) number(env, "SLUICE_ACTIVITY_TASK_POLLERS", DEFAULTS.activityPollers()));
  }

  private static double number(Map<String, String> env, String name, double defaultValue) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Double.parseDouble(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": '" + value + "' is not a number");
    }
  }
}
