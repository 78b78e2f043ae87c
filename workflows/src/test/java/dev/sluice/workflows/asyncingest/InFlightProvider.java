package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.Messages.CleanupRequest;
import dev.sluice.workflows.activities.Messages.CleanupResult;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.StatusResult;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.SubmitResult;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A provider that counts its jobs in flight (submitted, neither finished nor aborted) and keeps the
 * high-water mark: one job per submit, each finished after {@link #pollsPerJob} status checks.
 */
final class InFlightProvider extends FakeProvider {
  private final TestWorkflowEnvironment env;
  private final AtomicInteger jobs = new AtomicInteger();
  private final Map<String, Integer> checks = new ConcurrentHashMap<>();
  final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  final AtomicInteger highWater = new AtomicInteger();

  /** Pipelines in the order their jobs were submitted. */
  final List<String> submitOrder = new CopyOnWriteArrayList<>();

  /** Workflow time of each submit, in order. */
  final List<Long> submitTimes = new CopyOnWriteArrayList<>();

  /** Pipelines whose jobs the provider fails. */
  final Set<String> failing = ConcurrentHashMap.newKeySet();

  volatile int pollsPerJob = 3;

  InFlightProvider(TestWorkflowEnvironment env) {
    super(env);
    this.env = env;
  }

  @Override
  public SubmitResult submit(SubmitRequest request) {
    String pipeline = request.vars().get("pipeline");
    String id = "job-" + jobs.incrementAndGet() + "-" + pipeline;
    inFlight.add(id);
    highWater.accumulateAndGet(inFlight.size(), Math::max);
    submitOrder.add(pipeline);
    submitTimes.add(env.currentTimeMillis());
    return new SubmitResult(id, false);
  }

  @Override
  public StatusResult checkStatus(StatusRequest request) {
    String id = request.vars().get("requestId");
    if (checks.merge(id, 1, Integer::sum) < pollsPerJob) {
      return new StatusResult("InProgress", Outcome.PENDING, null, null, null);
    }
    inFlight.remove(id);
    if (failing.contains(request.vars().get("pipeline"))) {
      return new StatusResult("Failed", Outcome.FAILED, "quota exceeded", null, null);
    }
    return new StatusResult("JobComplete", Outcome.READY, null, null, null);
  }

  @Override
  public CleanupResult abort(CleanupRequest request) {
    inFlight.remove(request.vars().get("requestId"));
    return super.abort(request);
  }
}
