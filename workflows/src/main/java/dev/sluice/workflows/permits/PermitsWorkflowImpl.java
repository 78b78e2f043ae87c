package dev.sluice.workflows.permits;

import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.Stubs;
import dev.sluice.workflows.permits.PermitMessages.HolderCheck;
import dev.sluice.workflows.permits.PermitMessages.PermitAnswer;
import dev.sluice.workflows.permits.PermitMessages.PermitEntry;
import dev.sluice.workflows.permits.PermitMessages.PermitGrant;
import dev.sluice.workflows.permits.PermitMessages.PermitRequest;
import dev.sluice.workflows.permits.PermitMessages.PermitsState;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;

/**
 * See {@link PermitsWorkflow}. The handlers change the table; the main loop signals the holders
 * granted, reclaims the permits of closed chains on a timer while anyone holds one, and continues
 * as new with the table. Idle (nobody holding or waiting) it waits with no timer, adding no events.
 */
public final class PermitsWorkflowImpl implements PermitsWorkflow {
  private static final Logger log = Workflow.getLogger(PermitsWorkflowImpl.class);

  /**
   * How often the holders' chains are checked while anyone holds a permit: a holder terminated
   * without releasing blocks a permit at most this long, and the check costs one activity.
   */
  static final Duration RECLAIM_EVERY = Duration.ofMinutes(2);

  private final PermitTable table;

  /** Granted by a handler or a release; signalled by the main loop. */
  private final Deque<PermitEntry> toSignal = new ArrayDeque<>();

  private boolean changed;

  /** When the holders were last checked (or the first one came). */
  private long lastCheck;

  /** Grant signals not yet delivered: none may be cut off by continue-as-new. */
  private int signalling;

  // Continue-as-new past PermitsState.maxEvents even before the server suggests it: each grant,
  // release and check adds a handful of events, so the history stays small to replay.

  @WorkflowInit
  public PermitsWorkflowImpl(PermitsState state) {
    this.table = new PermitTable(state);
  }

  @Override
  public void run(PermitsState state) {
    lastCheck = Workflow.currentTimeMillis();
    while (true) {
      toSignal.addAll(table.grant());
      signalGranted();
      if (Workflow.getInfo().isContinueAsNewSuggested()
          || Workflow.getInfo().getHistoryLength() > table.maxEvents()) {
        // Handlers and signals run to the end before the table moves on: none is cut off.
        Workflow.await(() -> Workflow.isEveryHandlerFinished() && signalling == 0);
        if (toSignal.isEmpty()) {
          Workflow.continueAsNew(table.state());
        }
        continue;
      }
      if (table.holders().isEmpty()) {
        Workflow.await(() -> changed);
        changed = false;
        lastCheck = Workflow.currentTimeMillis();
        continue;
      }
      // Checked every RECLAIM_EVERY however busy the key is: grants and releases do not delay it.
      long left = lastCheck + RECLAIM_EVERY.toMillis() - Workflow.currentTimeMillis();
      if (left <= 0 || !Workflow.await(Duration.ofMillis(left), () -> changed)) {
        reclaim();
        lastCheck = Workflow.currentTimeMillis();
      }
      changed = false;
    }
  }

  @Override
  public PermitAnswer acquire(PermitRequest request) {
    PermitAnswer answer =
        table.request(
            new PermitEntry(request.holder(), request.maxRunningJobs(), request.label()),
            toSignal);
    changed = true;
    return answer;
  }

  @Override
  public void release(Holder holder) {
    if (table.release(holder)) {
      changed = true;
    }
  }

  @Override
  public PermitsState state() {
    return table.state();
  }

  /**
   * Tells each holder granted, each signal in its own workflow thread so the loop never waits on
   * one. A holder whose workflow no longer runs cannot be told: its permit goes to the next in line
   * (and the next check of the holders would find it closed anyway).
   */
  private void signalGranted() {
    while (!toSignal.isEmpty()) {
      PermitEntry granted = toSignal.poll();
      signalling++;
      Async.procedure(
          () -> {
            try {
              Workflow.newUntypedExternalWorkflowStub(granted.holder().workflowId())
                  .signal(PermitHolder.GRANTED, new PermitGrant(table.key(), granted.holder()));
            } catch (SignalExternalWorkflowException e) {
              log.info("permit holder {} is gone; its permit is given back", granted.label());
              table.release(granted.holder());
              changed = true;
            } finally {
              signalling--;
            }
          });
    }
  }

  /** Gives back the permits of holders whose chain closed without releasing them. */
  private void reclaim() {
    List<Holder> closed;
    try {
      closed =
          Stubs.summarized(
                  PermitActivities.class, ActivityProfiles.SHORT_CALL, "check permit holders")
              .closedHolders(new HolderCheck(table.holders()))
              .closed();
    } catch (ActivityFailure e) {
      // The service did not answer: the next check asks again.
      log.warn("permit holders not checked: {}", e.getMessage());
      return;
    }
    for (Holder holder : closed) {
      log.info("permit of closed run {} reclaimed", holder.workflowId());
      table.release(holder);
    }
  }
}
