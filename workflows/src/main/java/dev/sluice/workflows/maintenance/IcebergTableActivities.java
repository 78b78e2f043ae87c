package dev.sluice.workflows.maintenance;

import dev.sluice.workflows.maintenance.TableMaintenanceMessages.ExpireRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.ExpireResult;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.OrphansRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.OrphansResult;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.RewriteRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.RewriteResult;
import io.temporal.activity.ActivityInterface;

/**
 * Maintenance of an Iceberg table through its catalog, each one optimistic Iceberg commit: a
 * pipeline commit landing meanwhile makes it fail changing nothing (retried, it plans again on the
 * new state), never commit into a state it did not read.
 */
@ActivityInterface
public interface IcebergTableActivities {
  /**
   * Expires old snapshots, keeping what the sink reads back; a table not created yet has none.
   *
   * @throws io.temporal.failure.ApplicationFailure retryable when the table changed meanwhile
   */
  ExpireResult expireSnapshots(ExpireRequest request);

  /**
   * Compacts each partition's small files in one {@code replace} commit that changes no row.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code InvalidPipeline}, not retried, for an
   *     {@code overwrite-window} sink or a bad size; retryable when the table changed meanwhile
   */
  RewriteResult rewriteFiles(RewriteRequest request);

  /**
   * Deletes the files no snapshot references that are older than the policy's age, leaving the
   * staging of runs in progress.
   */
  OrphansResult removeOrphanFiles(OrphansRequest request);
}
