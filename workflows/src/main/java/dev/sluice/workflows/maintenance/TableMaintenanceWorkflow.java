package dev.sluice.workflows.maintenance;

import dev.sluice.workflows.maintenance.TableMaintenanceMessages.TableMaintenanceInput;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.TableMaintenanceResult;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One maintenance run of a pipeline's Iceberg table, started by its schedule ({@code sluice table
 * schedule}): expire snapshots, compact small files, remove orphan files, each step optional.
 */
@WorkflowInterface
public interface TableMaintenanceWorkflow {
  /**
   * Runs the input's steps in order; a step that fails after its retries fails the run (the
   * table is unchanged by that step; the next scheduled run tries again).
   */
  @WorkflowMethod
  TableMaintenanceResult maintain(TableMaintenanceInput input);
}
