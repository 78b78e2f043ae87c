package dev.sluice.workflows.permits;

import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.permits.PermitMessages.PermitAnswer;
import dev.sluice.workflows.permits.PermitMessages.PermitRequest;
import dev.sluice.workflows.permits.PermitMessages.PermitsState;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The running-job permits of one {@code concurrency} key, shared by every pipeline and worker: one
 * long-lived workflow per key ({@link LimitKeys#permits}), started by the first {@code acquire}
 * (update-with-start, from an activity) and continuing as new with its holders and waiters. It
 * grants permits first come first served, never more than the key's limit at once, and reclaims the
 * permit of a holder whose run chain closed without releasing it.
 */
@WorkflowInterface
public interface PermitsWorkflow {
  /** Runs until terminated, continuing as new with {@code state}. */
  @WorkflowMethod
  void run(PermitsState state);

  /**
   * Asks for a permit: granted at once when one is free and nobody waits, else the holder joins the
   * line and is signalled ({@link PermitHolder#permitGranted}) when its turn comes. Idempotent: a
   * holder that holds or waits already keeps its permit or place.
   */
  @UpdateMethod
  PermitAnswer acquire(PermitRequest request);

  /**
   * Gives back the holder's permit, or its place in line; nothing when it has neither. The first
   * waiter then gets the permit.
   */
  @SignalMethod
  void release(Holder holder);

  /** Who holds and who waits, in order. */
  @QueryMethod
  PermitsState state();
}
