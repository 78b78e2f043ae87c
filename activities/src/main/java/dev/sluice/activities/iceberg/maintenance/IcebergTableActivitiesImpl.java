package dev.sluice.activities.iceberg.maintenance;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.iceberg.IcebergCatalogs;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.maintenance.IcebergTableActivities;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.ExpireRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.ExpireResult;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.OrphansRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.OrphansResult;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.RewriteRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.RewriteResult;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import org.apache.iceberg.Table;

/**
 * {@link IcebergTableActivities} over the classes {@code sluice table} uses ({@link
 * SnapshotExpiry}, {@link FileCompaction}, {@link OrphanFiles}), through the worker's catalogs. A
 * table no run has created yet needs nothing: each step answers zero. A commit that lost to a
 * pipeline's commit throws Iceberg's exception as it is, which Temporal retries (the step plans
 * again on the new state).
 */
public final class IcebergTableActivitiesImpl implements IcebergTableActivities {
  private final IcebergCatalogs catalogs;
  private final HadoopFiles files;
  private final Clock clock;

  public IcebergTableActivitiesImpl(IcebergCatalogs catalogs, HadoopFiles files, Clock clock) {
    this.catalogs = catalogs;
    this.files = files;
    this.clock = clock;
  }

  @Override
  public ExpireResult expireSnapshots(ExpireRequest request) {
    return onTable(
        request.sink(),
        table -> {
          SnapshotExpiry.Result r =
              SnapshotExpiry.expire(
                  table,
                  clock.instant().minus(request.policy().olderThan()),
                  request.policy().retainLast());
          return new ExpireResult(r.expired().size(), r.kept().size());
        },
        new ExpireResult(0, 0));
  }

  @Override
  public RewriteResult rewriteFiles(RewriteRequest request) {
    long target;
    try {
      target = FileCompaction.targetSize(request.sink(), request.policy().targetFileSize());
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          e.getMessage(), FailureType.INVALID_PIPELINE.type());
    }
    return onTable(
        request.sink(),
        table -> {
          FileCompaction.Result r;
          try {
            r = FileCompaction.rewrite(table, target);
          } catch (IllegalArgumentException e) { // a table that work units write
            throw ApplicationFailure.newNonRetryableFailure(
                e.getMessage(), FailureType.INVALID_PIPELINE.type());
          }
          return new RewriteResult(
              r.snapshotId(),
              r.rewritten().size(),
              r.rewritten().stream().mapToInt(FileCompaction.Rewritten::filesBefore).sum(),
              r.rewritten().stream().mapToInt(FileCompaction.Rewritten::filesAfter).sum());
        },
        new RewriteResult(null, 0, 0, 0));
  }

  @Override
  public OrphansResult removeOrphanFiles(OrphansRequest request) {
    return onTable(
        request.sink(),
        table -> {
          OrphanFiles.Result r =
              OrphanFiles.remove(
                  table,
                  clock.instant().minus(request.policy().olderThan()),
                  RunsInProgress.runKeys(files, request.sink()));
          return new OrphansResult(r.orphans().size(), r.bytes(), r.inProgress());
        },
        new OrphansResult(0, 0, 0));
  }

  private <T> T onTable(IcebergSink sink, Function<Table, T> step, T none) {
    Optional<Table> table = catalogs.load(sink);
    return table.map(step).orElse(none);
  }
}
