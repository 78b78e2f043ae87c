package dev.sluice.activities.parquet;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.activity.Activity;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;

/**
 * Whether a lease holder still runs, asked of the Temporal service the calling activity's worker
 * is connected to: the latest execution of the workflow ID is open. An ID with no execution (in
 * this namespace's retention) is not running.
 */
enum RunLivenessFromTemporal implements WindowLedger.RunLiveness {
  INSTANCE;

  @Override
  public boolean isRunning(String workflowId) {
    WorkflowClient client = Activity.getExecutionContext().getWorkflowClient();
    try {
      return client
              .getWorkflowServiceStubs()
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(client.getOptions().getNamespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                      .build())
              .getWorkflowExecutionInfo()
              .getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }
}
