package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.ServerPolls;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.ApplicationFailure;

/**
 * The live progress of a server-side poll ({@code status.polling: server}). Its checks happen in
 * the attempts of one activity, which the workflow learns of only when the job is final: until
 * then the run's {@code progress} query knows the checks of earlier stretches only, and the
 * server's description of the run has the rest (the pending activity's last failure carries the
 * provider's state and the checks so far, {@link ServerPolls.Pending}). Client code.
 */
public final class PendingChecks {
  private PendingChecks() {}

  /** The activity type of a server-side poll (the SDK's name for the method). */
  static final String ACTIVITY_TYPE = "CheckUntilFinal";

  /**
   * {@code progress} with the checks and the provider's state of a server-side poll in flight
   * added; {@code progress} itself when the run is not waiting or polls on timers.
   *
   * @param progress the run's {@code progress} query answer
   * @param client a client of the run's namespace
   * @param workflowId the run's workflow ID
   */
  public static Progress of(Progress progress, WorkflowClient client, String workflowId) {
    if (progress == null || progress.stage() != Progress.Stage.WAITING) {
      return progress;
    }
    var description = client.newUntypedWorkflowStub(workflowId).describe().getRawDescription();
    for (PendingActivityInfo activity : description.getPendingActivitiesList()) {
      if (ACTIVITY_TYPE.equals(activity.getActivityType().getName())
          && activity.hasLastFailure()
          && client.getOptions().getDataConverter().failureToException(activity.getLastFailure())
              instanceof ApplicationFailure failure
          && ServerPolls.PENDING_TYPE.equals(failure.getType())) {
        ServerPolls.Pending pending = failure.getDetails().get(ServerPolls.Pending.class);
        return new Progress(
            progress.stage(),
            progress.requestId(),
            progress.polls() + pending.checks(),
            pending.state(),
            progress.rows(),
            progress.bytes(),
            progress.waitingFor());
      }
    }
    return progress;
  }
}
