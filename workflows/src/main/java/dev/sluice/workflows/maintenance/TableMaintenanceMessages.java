package dev.sluice.workflows.maintenance;

import dev.sluice.pipeline.IcebergSink;
import java.time.Duration;

/**
 * What {@link TableMaintenanceWorkflow} and {@link IcebergTableActivities} exchange. They cross
 * workflow history: new fields need defaults, property names stay. Only counts come back, never
 * file lists: a large table's listings have no place in history.
 */
public final class TableMaintenanceMessages {
  private TableMaintenanceMessages() {}

  /**
   * Expire snapshots older than {@code olderThan} beyond the newest {@code retainLast}, keeping what
   * the sink reads back (as {@code sluice table expire-snapshots}).
   *
   * @param olderThan default 5 days
   * @param retainLast default 1
   */
  public record Expire(Duration olderThan, Integer retainLast) {
    public Expire {
      olderThan = olderThan == null ? Duration.ofDays(5) : olderThan;
      retainLast = retainLast == null ? 1 : retainLast;
    }
  }

  /**
   * Compact small data files (as {@code sluice table rewrite-files}).
   *
   * @param targetFileSize e.g. {@code 128MB}; null for the sink's {@code targetFileSize}
   */
  public record Rewrite(String targetFileSize) {}

  /**
   * Delete files no snapshot references that are older than {@code olderThan}; runs in progress
   * keep theirs (as {@code sluice table remove-orphan-files}).
   *
   * @param olderThan default 3 days: longer than the longest run
   */
  public record Orphans(Duration olderThan) {
    public Orphans {
      olderThan = olderThan == null ? Duration.ofDays(3) : olderThan;
    }
  }

  /**
   * One maintenance run of a pipeline's iceberg table. A null step is not run; the steps that are
   * run go in this order: expire, rewrite, orphans (orphans last, so the files the other two
   * replaced and could not delete are found in the same run).
   *
   * @param pipeline the pipeline's name (for the run's summary)
   * @param sink the table: its catalog and name, secrets as references only
   * @param expire the expiry step, or null
   * @param rewrite the compaction step, or null
   * @param orphans the orphan sweep, or null
   */
  public record TableMaintenanceInput(
      String pipeline, IcebergSink sink, Expire expire, Rewrite rewrite, Orphans orphans) {}

  /** An expiry asked of the activity. */
  public record ExpireRequest(IcebergSink sink, Expire policy) {}

  /** A compaction asked of the activity. */
  public record RewriteRequest(IcebergSink sink, Rewrite policy) {}

  /** An orphan sweep asked of the activity. */
  public record OrphansRequest(IcebergSink sink, Orphans policy) {}

  /**
   * @param expired snapshots expired
   * @param kept snapshots kept
   */
  public record ExpireResult(int expired, int kept) {}

  /**
   * @param snapshotId the replace snapshot committed, or null when nothing needed rewriting
   * @param partitions partitions rewritten
   * @param filesBefore their files before
   * @param filesAfter their files after
   */
  public record RewriteResult(Long snapshotId, int partitions, int filesBefore, int filesAfter) {}

  /**
   * @param deleted orphan files deleted
   * @param bytes their bytes
   * @param inProgress unreferenced files kept because their run is in progress
   */
  public record OrphansResult(int deleted, long bytes, int inProgress) {}

  /** What each step did; null for a step not run. */
  public record TableMaintenanceResult(
      ExpireResult expired, RewriteResult rewritten, OrphansResult orphans) {}
}
