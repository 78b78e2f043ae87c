package dev.sluice.workflows.permits;

import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.permits.PermitMessages.BudgetAnswer;
import dev.sluice.workflows.permits.PermitMessages.BudgetCharge;
import dev.sluice.workflows.permits.PermitMessages.BudgetState;
import dev.sluice.workflows.permits.PermitMessages.ClosedHolders;
import dev.sluice.workflows.permits.PermitMessages.HolderCheck;
import dev.sluice.workflows.permits.PermitMessages.PermitAnswer;
import dev.sluice.workflows.permits.PermitMessages.PermitRequest;
import dev.sluice.workflows.permits.PermitMessages.PermitsState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WithStartWorkflowOperation;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateStage;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link PermitActivities} through the Temporal client of the calling activity's worker. The
 * shared workflows are started on the activity's own task queue (every Sluice worker hosts them).
 */
public final class PermitActivitiesImpl implements PermitActivities {
  /** The client to use, or null: the calling activity's worker's. */
  private final WorkflowClient client;

  /** Uses the client of the worker that runs each activity. */
  public PermitActivitiesImpl() {
    this(null);
  }

  /**
   * Uses {@code client} (tests pass a plain client of the time-skipping test server, whose own
   * client would let time skip while an update is in flight).
   */
  public PermitActivitiesImpl(WorkflowClient client) {
    this.client = client;
  }

  private WorkflowClient client() {
    return client != null ? client : Activity.getExecutionContext().getWorkflowClient();
  }

  @Override
  public PermitAnswer requestPermit(PermitRequest request) {
    PermitsWorkflow permits =
        stub(PermitsWorkflow.class, LimitKeys.permits(request.key()), "job permits");
    return WorkflowClient.executeUpdateWithStart(
        permits::acquire,
        request,
        completed(),
        new WithStartWorkflowOperation<>(permits::run, PermitsState.empty(request.key())));
  }

  @Override
  public BudgetAnswer chargeBudget(BudgetCharge charge) {
    BudgetWorkflow budget =
        stub(BudgetWorkflow.class, LimitKeys.budget(charge.key()), "daily budget");
    BudgetState empty = new BudgetState(charge.key(), List.of());
    return WorkflowClient.executeUpdateWithStart(
        budget::charge, charge, completed(), new WithStartWorkflowOperation<>(budget::run, empty));
  }

  /** An update answered once the handler has returned (both handlers answer at once). */
  private static <R> UpdateOptions<R> completed() {
    return UpdateOptions.<R>newBuilder().setWaitForStage(WorkflowUpdateStage.COMPLETED).build();
  }

  @Override
  public ClosedHolders closedHolders(HolderCheck check) {
    List<Holder> closed = new ArrayList<>();
    for (Holder holder : check.holders()) {
      if (!running(holder)) {
        closed.add(holder);
      }
    }
    return new ClosedHolders(closed);
  }

  private <T> T stub(Class<T> type, String workflowId, String what) {
    ActivityExecutionContext context = Activity.getExecutionContext();
    return client()
        .newWorkflowStub(
            type,
            WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(context.getInfo().getActivityTaskQueue())
                // Whoever asks first starts it; everyone after talks to the one running.
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
                .setStaticSummary(what + " of key " + workflowId.substring(workflowId.indexOf('/') + 1))
                .build());
  }

  /**
   * Whether the holder's chain still runs: the latest execution of its workflow ID is running and,
   * where the service says, began with the holder's first run.
   */
  private boolean running(Holder holder) {
    WorkflowClient client = client();
    WorkflowExecutionInfo info;
    try {
      info =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(client.getOptions().getNamespace())
                      .setExecution(
                          WorkflowExecution.newBuilder().setWorkflowId(holder.workflowId()))
                      .build())
              .getWorkflowExecutionInfo();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
    boolean sameChain =
        info.getFirstRunId().isEmpty() || info.getFirstRunId().equals(holder.firstRunId());
    return sameChain && info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }
}
