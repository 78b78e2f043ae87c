package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.Messages.CleanupRequest;
import dev.sluice.workflows.activities.Messages.CleanupResult;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.StatusResult;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.SubmitResult;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider whose jobs cover a date range (the submit's {@code ${windowStart}}/{@code
 * ${windowEnd}}): a job over more than {@link #maxDays} days fails with Meta's "reduce the amount
 * of data" error; a ready job reports {@link #ROWS_PER_DAY} rows a day at the split's rows
 * pointer. Records every job and what became of it.
 */
final class RangeProvider extends FakeProvider {
  static final long ROWS_PER_DAY = 100;
  static final String TOO_MUCH = "Please reduce the amount of data you're asking for";

  /** Jobs over more days than this fail. */
  volatile int maxDays = Integer.MAX_VALUE;

  /** When set, every job but the first stays pending: a part waits until cancelled. */
  volatile boolean partsPending;

  /** Status checks a part's job (any but the first) answers pending before it is ready. */
  volatile int partPendingPolls;

  private final Map<String, AtomicInteger> polls = new ConcurrentHashMap<>();

  /** The range of each job by request ID. */
  final Map<String, Instant[]> jobs = new ConcurrentHashMap<>();

  /** Request IDs extracted, deleted and aborted, in order. */
  final List<String> extracted = new CopyOnWriteArrayList<>();

  final List<ExtractRequest> extractRequests = new CopyOnWriteArrayList<>();

  final Set<String> deleted = ConcurrentHashMap.newKeySet();
  final Set<String> abortedJobs = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ids = new AtomicInteger();

  RangeProvider(TestWorkflowEnvironment env) {
    super(env);
  }

  @Override
  public SubmitResult submit(SubmitRequest request) {
    super.submit(request);
    String id = "job-" + ids.incrementAndGet();
    // An incremental pipeline's job covers its watermark range, any other its window.
    boolean incremental = request.vars().get("watermarkEnd") != null;
    jobs.put(
        id,
        new Instant[] {
          Instant.parse(request.vars().get(incremental ? "watermark" : "windowStart")),
          Instant.parse(request.vars().get(incremental ? "watermarkEnd" : "windowEnd"))
        });
    return new SubmitResult(id, false);
  }

  private long days(String id) {
    Instant[] range = jobs.get(id);
    return Duration.between(range[0], range[1]).toDays();
  }

  @Override
  public StatusResult checkStatus(StatusRequest request) {
    String id = request.vars().get("requestId");
    long days = days(id);
    boolean part = !id.equals("job-1");
    int polled = polls.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    if (part && (partsPending || polled <= partPendingPolls)) {
      return new StatusResult("Job Running", Outcome.PENDING, null, null, null);
    }
    if (days > maxDays) {
      return new StatusResult("Job Failed", Outcome.FAILED, TOO_MUCH, null, null);
    }
    return new StatusResult("Job Completed", Outcome.READY, null, days * ROWS_PER_DAY, null);
  }

  @Override
  public ExtractResult extract(ExtractRequest request) {
    String id = request.vars().get("requestId");
    extracted.add(id);
    extractRequests.add(request);
    long rows = days(id) * ROWS_PER_DAY;
    return new ExtractResult(
        rows, rows * 10, List.of("part-" + request.runKey() + "-00000.parquet"), 1, null, 0);
  }

  @Override
  public CleanupResult delete(CleanupRequest request) {
    deleted.add(request.vars().get("requestId"));
    return super.delete(request);
  }

  @Override
  public CleanupResult abort(CleanupRequest request) {
    abortedJobs.add(request.vars().get("requestId"));
    return super.abort(request);
  }

  /** The range of {@code id}'s job. */
  Instant[] range(String id) {
    return jobs.get(id);
  }
}
