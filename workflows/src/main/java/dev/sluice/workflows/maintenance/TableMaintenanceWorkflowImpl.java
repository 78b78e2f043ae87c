package dev.sluice.workflows.maintenance;

import dev.sluice.workflows.common.ActivityProfiles;
import dev.sluice.workflows.common.Stubs;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.ExpireRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.ExpireResult;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.OrphansRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.OrphansResult;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.RewriteRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.RewriteResult;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.TableMaintenanceInput;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.TableMaintenanceResult;

/**
 * The steps in a fixed order, each one activity call: expiry first (fewer snapshots to read),
 * compaction, then the orphan sweep (it finds what the other two replaced). Nothing here waits or
 * loops: the schedule is the loop.
 */
public final class TableMaintenanceWorkflowImpl implements TableMaintenanceWorkflow {
  @Override
  public TableMaintenanceResult maintain(TableMaintenanceInput input) {
    String table = input.sink().table();
    ExpireResult expired = null;
    RewriteResult rewritten = null;
    OrphansResult orphans = null;
    if (input.expire() != null) {
      expired =
          stub("expire snapshots of " + table)
              .expireSnapshots(new ExpireRequest(input.sink(), input.expire()));
    }
    if (input.rewrite() != null) {
      rewritten =
          stub("rewrite files of " + table)
              .rewriteFiles(new RewriteRequest(input.sink(), input.rewrite()));
    }
    if (input.orphans() != null) {
      orphans =
          stub("remove orphan files of " + table)
              .removeOrphanFiles(new OrphansRequest(input.sink(), input.orphans()));
    }
    return new TableMaintenanceResult(expired, rewritten, orphans);
  }

  private static IcebergTableActivities stub(String summary) {
    return Stubs.summarized(
        IcebergTableActivities.class, ActivityProfiles.TABLE_MAINTENANCE, summary);
  }
}
