package dev.sluice.workflows.common;

import dev.sluice.workflows.activities.FailureType;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.common.Priority;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import java.time.Duration;

/** Activity options, defined once by name. Each number says why it is what it is. */
public final class ActivityProfiles {
  private ActivityProfiles() {}

  /**
   * One provider request (submit, status check): a well-behaved provider answers in seconds, so 30s
   * per attempt. Transient failures (5xx, 429, I/O) are retried with exponential backoff up to a
   * minute apart, for at most 15 minutes in all, after which the run fails rather than hide an
   * outage; a provider's {@code Retry-After} overrides the backoff for the next attempt.
   */
  public static final ActivityOptions SHORT_CALL =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setScheduleToCloseTimeout(Duration.ofMinutes(15))
          .setRetryOptions(
              backoff(Duration.ofSeconds(1))
                  .setMaximumInterval(Duration.ofMinutes(1))
                  .build())
          .build();

  /**
   * The least a deadline-bound call ({@link #shortCallWithin}) is given: long enough for one
   * ordinary answer of a provider that answers in seconds, short enough that the last check made
   * at the deadline overruns it by no more than this.
   */
  public static final Duration MIN_BOUNDED_CALL = Duration.ofSeconds(5);

  /**
   * {@link #SHORT_CALL} bounded by a user's deadline: every attempt and retry of the call ends
   * within {@code left} (and never later than {@link #SHORT_CALL}'s own 15 minutes), so an
   * endpoint that keeps failing cannot hold a run past the timeout its pipeline set. A deadline
   * that is near or past still gets {@link #MIN_BOUNDED_CALL} for one last answer.
   *
   * @param left time until the deadline; zero or negative when it has passed
   * @return {@link #SHORT_CALL} itself when the deadline is further away than its budget; else a
   *     copy whose schedule-to-close (and, if longer, start-to-close) timeout is {@code left}
   */
  public static ActivityOptions shortCallWithin(Duration left) {
    Duration budget = left.compareTo(MIN_BOUNDED_CALL) < 0 ? MIN_BOUNDED_CALL : left;
    if (budget.compareTo(SHORT_CALL.getScheduleToCloseTimeout()) >= 0) {
      return SHORT_CALL;
    }
    Duration attempt = SHORT_CALL.getStartToCloseTimeout();
    return ActivityOptions.newBuilder(SHORT_CALL)
        .setScheduleToCloseTimeout(budget)
        .setStartToCloseTimeout(attempt.compareTo(budget) < 0 ? attempt : budget)
        .build();
  }

  /**
   * Task-queue priority of a provider job's status checks: key 4, below the server's default 3,
   * which every other activity keeps (submit, extract, publish, clean-up). At thousands of jobs in
   * flight most queued activity tasks are status checks (5,800 of the backlog at 10,000 jobs,
   * docs/performance.md); a server that dispatches by priority hands a free worker slot to a
   * submit or an extract first, and a check waits, which costs it nothing but a little pacing.
   * Servers that do not dispatch by priority ignore it. Not the lowest key (5), so that a later
   * kind of background work can still go below the checks.
   */
  public static final Priority STATUS_CHECK_PRIORITY =
      Priority.newBuilder().setPriorityKey(4).build();

  /**
   * A status check in a workflow's own loop: {@link #shortCallWithin}, at {@link
   * #STATUS_CHECK_PRIORITY}.
   */
  public static ActivityOptions statusCheckWithin(Duration left) {
    return statusCheck(shortCallWithin(left));
  }

  /**
   * A status check (of a provider job, a platform batch, a dataset's batches) with {@code
   * options}: the same options at {@link #STATUS_CHECK_PRIORITY}.
   */
  public static ActivityOptions statusCheck(ActivityOptions options) {
    return ActivityOptions.newBuilder(options).setPriority(STATUS_CHECK_PRIORITY).build();
  }

  /** Whether {@code options} are {@link #shortCallWithin} cut short by a deadline. */
  public static boolean boundedByDeadline(ActivityOptions options) {
    return options.getScheduleToCloseTimeout() != null
        && options.getScheduleToCloseTimeout().compareTo(SHORT_CALL.getScheduleToCloseTimeout())
            < 0;
  }

  /**
   * Whether {@code failure} is a {@link #shortCallWithin} call that only ran out of the time its
   * deadline left, rather than failing for good or spending {@link #SHORT_CALL}'s own budget: the
   * wait it belongs to then times out as its deadline says (naming {@link
   * Failures#lastAttemptError}).
   */
  public static boolean ranOutOfTimeLeft(ActivityOptions call, ActivityFailure failure) {
    return boundedByDeadline(call) && failure.getRetryState() == RetryState.RETRY_STATE_TIMEOUT;
  }

  /**
   * Server-side polling of a provider job ({@code status.polling: server}): one status check per
   * attempt, 30 seconds each as {@link #SHORT_CALL}; the server retries a pending (or transiently
   * failing) check at the pipeline's own pacing ({@code interval}, growing by {@code backoff} up to
   * {@code maxInterval}; a {@code Retry-After} overrides the next delay), with no attempt limit,
   * until the wait's deadline: the schedule-to-close timeout is the time {@code left}, so no
   * attempt starts after it. A non-retryable failure (a 4xx) ends it at once, as in a workflow
   * loop's check. At {@link #STATUS_CHECK_PRIORITY}.
   */
  public static ActivityOptions serverPolling(
      Duration interval, double backoff, Duration maxInterval, Duration left) {
    return ActivityOptions.newBuilder(SHORT_CALL)
        .setScheduleToCloseTimeout(left)
        .setPriority(STATUS_CHECK_PRIORITY)
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(interval)
                .setBackoffCoefficient(backoff)
                .setMaximumInterval(maxInterval.compareTo(interval) < 0 ? interval : maxInterval)
                .setDoNotRetry(FailureType.nonRetryable())
                .build())
        .build();
  }

  /**
   * A long download (extract). It heartbeats every 5 seconds, from a watchdog thread too while a
   * page is in flight (each page has its own whole-call deadline), so a 2-minute heartbeat timeout
   * only fires for a worker that is gone, and the retry resumes from the last checkpoint. A page
   * that fails transiently is retried in place first; an attempt fails only when one page keeps
   * failing, so ten attempts bound a provider that stays down. An attempt may run for hours on big
   * results. A cancelled run waits for the attempt to stop (it learns of the cancellation from the
   * answer to a heartbeat, within seconds, and cuts its page request) before it discards the staged
   * files.
   */
  public static final ActivityOptions LONG_TRANSFER =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(6))
          .setHeartbeatTimeout(Duration.ofMinutes(2))
          .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
          .setRetryOptions(
              backoff(Duration.ofSeconds(2))
                  .setMaximumInterval(Duration.ofMinutes(2))
                  .setMaximumAttempts(10)
                  .build())
          .build();

  /**
   * The extract of an {@code async-http} result: a {@link #LONG_TRANSFER} whose attempt heartbeats
   * every 5 seconds for its whole life (a watchdog thread keeps it answerable while a page is in
   * flight, a retry waits or the last file is closed), so 30 seconds without a heartbeat (six
   * missed) means the worker is gone: another worker resumes from the last checkpoint within
   * about half a minute instead of two. The other long transfers heartbeat per chunk or per file
   * and keep the longer timeout.
   */
  public static final ActivityOptions EXTRACT =
      ActivityOptions.newBuilder(LONG_TRANSFER).setHeartbeatTimeout(Duration.ofSeconds(30)).build();

  /**
   * File-system work on the sink (watermark, publish, discard): metadata operations that take
   * seconds; a store that stays down for 30 minutes fails the run with its error.
   */
  public static final ActivityOptions SINK_CALL =
      // Retried as a provider call is, for longer.
      ActivityOptions.newBuilder(SHORT_CALL)
          .setStartToCloseTimeout(Duration.ofMinutes(5))
          .setScheduleToCloseTimeout(Duration.ofMinutes(30))
          .build();

  /**
   * One Parquet file uploaded into a platform batch. Files above the sink's large-file threshold go
   * up in chunks (64MB by default) and the activity heartbeats its byte offset after each, and as
   * bytes go out on a single PUT; a 5-minute heartbeat timeout leaves a slow link (~250KB/s) time
   * for a whole chunk, and still notices a dead worker within minutes, whose retry resumes from the
   * last offset. An attempt may take hours for a multi-GB file; ten attempts bound a platform that
   * keeps failing. Cancellation does not wait for the attempt: the batch is aborted right away, and
   * the platform refuses whatever that attempt still sends into it.
   */
  public static final ActivityOptions PLATFORM_UPLOAD =
      // Timed and retried as a long download, with a longer heartbeat; not waited for on cancel.
      ActivityOptions.newBuilder(LONG_TRANSFER)
          .setHeartbeatTimeout(Duration.ofMinutes(5))
          .setCancellationType(ActivityCancellationType.TRY_CANCEL)
          .build();

  /**
   * One step of table maintenance (expire, compact, sweep orphans): reading every manifest and
   * rewriting a partition's files can take long on a big table, so an hour per attempt. A failed
   * attempt (a pipeline committed meanwhile, the store hiccuped) changed nothing and plans again:
   * three attempts a minute or more apart, then the run fails and the schedule's next run retries.
   */
  public static final ActivityOptions TABLE_MAINTENANCE =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofHours(1))
          .setRetryOptions(
              backoff(Duration.ofMinutes(1)).setMaximumAttempts(3).build())
          .build();

  /**
   * Clean-up (abort, delete) on the way out of a run: worth a few tries, never worth holding a
   * failed or cancelled run open for long; five attempts within two minutes.
   */
  public static final ActivityOptions CLEANUP =
      ActivityOptions.newBuilder(SHORT_CALL)
          .setScheduleToCloseTimeout(Duration.ofMinutes(2))
          .setRetryOptions(backoff(Duration.ofSeconds(1)).setMaximumAttempts(5).build())
          .build();

  /**
   * Retries with exponential backoff, doubling from {@code initial}; a failure of a non-retryable
   * type ({@link FailureType#NON_RETRYABLE}) is never retried. Callers bound the retries.
   */
  private static RetryOptions.Builder backoff(Duration initial) {
    return RetryOptions.newBuilder()
        .setInitialInterval(initial)
        .setBackoffCoefficient(2.0)
        .setDoNotRetry(FailureType.nonRetryable());
  }
}
