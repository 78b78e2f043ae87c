package dev.sluice.workflows.fakes;

import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where fake activities wait until the test lets them go, so activities overlap because the test
 * holds them, never because they sleep in real time. Open (nothing waits) until {@link #hold}.
 *
 * <p>Activities run on real worker threads, so what the gate counts is real concurrency; with
 * {@link #pendingActivities} a test also sees every activity the workflow has scheduled, started
 * or not, so a bound on parallel activities is checked at each step rather than sampled.
 */
public final class Gate {
  /** How long an activity waits for the test at most: a test that forgets to release fails. */
  private static final Duration MAX_HOLD = Duration.ofSeconds(30);

  private boolean holding;
  private int waiting;
  private int permits;

  /** From now on, activities that pass the gate wait until {@link #release}d. */
  public synchronized void hold() {
    holding = true;
  }

  /**
   * Called by a fake activity: waits while the gate holds, until the test releases it.
   *
   * @throws IllegalStateException when the test never released it (the activity fails)
   */
  public synchronized void pass() throws InterruptedException {
    if (!holding) {
      return;
    }
    waiting++;
    notifyAll();
    long deadline = System.nanoTime() + MAX_HOLD.toNanos();
    while (permits == 0 && holding) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        waiting--;
        throw new IllegalStateException("held at the gate for " + MAX_HOLD + ": never released");
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    if (permits > 0) {
      permits--;
    }
  }

  /**
   * Waits until at least {@code n} activities wait at the gate, at most 10 seconds; returns how
   * many do.
   *
   * @throws AssertionError when they did not arrive in time
   */
  public synchronized int awaitWaiting(int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (waiting < n) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(waiting + " activities wait at the gate, never " + n);
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return waiting;
  }

  /** Lets {@code n} waiting activities go (counted as gone at once). */
  public synchronized void release(int n) {
    if (n > waiting) {
      throw new IllegalStateException("only " + waiting + " activities wait, not " + n);
    }
    waiting -= n;
    permits += n;
    notifyAll();
  }

  /** Lets everything through, now and from now on (call it before the test environment closes). */
  public synchronized void open() {
    holding = false;
    waiting = 0;
    notifyAll();
  }

  /**
   * The activities the workflow has scheduled and not yet seen end, started or not, as the server
   * reports them.
   */
  public static List<PendingActivityInfo> pendingActivities(
      WorkflowClient client, Object workflow) {
    return client
        .getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(WorkflowStub.fromTyped(workflow).getExecution())
                .build())
        .getPendingActivitiesList();
  }
}
