package dev.sluice.activities.iceberg.maintenance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.ExpireSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;

/**
 * Expires an Iceberg table's old snapshots (and the files only they referenced) without losing what
 * the {@code iceberg} sink reads back from snapshot summaries.
 *
 * <p>The sink keeps no state beside the table: a run's commit is one snapshot whose summary carries
 * the run key, the window and the watermark range ({@link SinkSummaries}). A retried commit looks
 * for its run key among the table's snapshots; the next run reads the watermark from the newest
 * snapshot that carries one; a re-run of a window reads that window's range from the newest
 * snapshot that committed it. So a snapshot is <b>kept</b>, whatever its age, when it is:
 *
 * <ul>
 *   <li>the current snapshot, or the head of any branch or tag (Iceberg refuses to expire those);
 *   <li>one of the newest {@code retainLast} snapshots;
 *   <li>not older than {@code olderThan} (a commit that lost its answer retries within minutes, so
 *       recent snapshots keep every run key a retry could look for);
 *   <li>the newest snapshot of its window (its summary's window key): the window's range and run
 *       key stay readable for {@code overwrite-window} re-runs and for {@code sluice state};
 *   <li>the newest snapshot that carries a watermark: where the next incremental run starts.
 * </ul>
 *
 * Every other snapshot is expired in one commit ({@link ExpireSnapshots#expireSnapshotId}, with
 * Iceberg's own age rule switched off so it removes exactly those), and Iceberg deletes the data
 * and manifest files no remaining snapshot references. The table's rows (its current snapshot) do
 * not change.
 */
public final class SnapshotExpiry {

  /** Why a snapshot is kept. */
  public enum Reason {
    CURRENT("the current snapshot"),
    REFERENCED("the head of a branch or tag"),
    NEWEST("one of the newest --retain-last"),
    RECENT("newer than --older-than"),
    WINDOW("the newest commit of its window"),
    WATERMARK("the newest commit with a watermark");

    private final String text;

    Reason(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** A snapshot kept, and the first reason that keeps it. */
  public record Kept(long snapshotId, Instant committedAt, Reason reason, String window) {}

  /** What an expiry kept and expired (ids of expired snapshots, oldest first). */
  public record Result(List<Kept> kept, List<Long> expired) {}

  private SnapshotExpiry() {}

  /**
   * What {@link #expire} would do: which snapshots stay and why, which go. Reads the table only.
   *
   * @param olderThan snapshots committed at or after this instant are kept
   * @param retainLast how many of the newest snapshots are kept regardless of age (at least 1)
   */
  public static Result plan(Table table, Instant olderThan, int retainLast) {
    if (retainLast < 1) {
      throw new IllegalArgumentException("--retain-last must be at least 1, not " + retainLast);
    }
    List<Snapshot> newestFirst = new ArrayList<>();
    table.snapshots().forEach(newestFirst::add);
    newestFirst.sort(
        Comparator.comparingLong(Snapshot::timestampMillis)
            .thenComparingLong(Snapshot::sequenceNumber)
            .reversed());
    Map<Long, Reason> reasons = new LinkedHashMap<>();
    Map<Long, String> windows = new HashMap<>();
    Snapshot current = table.currentSnapshot();
    if (current != null) {
      reasons.put(current.snapshotId(), Reason.CURRENT);
    }
    for (SnapshotRef ref : table.refs().values()) {
      reasons.putIfAbsent(ref.snapshotId(), Reason.REFERENCED);
    }
    boolean watermarkSeen = false;
    Map<String, Long> newestOfWindow = new HashMap<>();
    for (int i = 0; i < newestFirst.size(); i++) {
      Snapshot s = newestFirst.get(i);
      Map<String, String> summary = s.summary() == null ? Map.of() : s.summary();
      String window = SinkSummaries.window(summary);
      if (window != null) {
        windows.put(s.snapshotId(), window);
        if (newestOfWindow.putIfAbsent(window, s.snapshotId()) == null) {
          reasons.putIfAbsent(s.snapshotId(), Reason.WINDOW);
        }
      }
      if (!watermarkSeen && SinkSummaries.hasWatermark(summary)) {
        watermarkSeen = true;
        reasons.putIfAbsent(s.snapshotId(), Reason.WATERMARK);
      }
      if (i < retainLast) {
        reasons.putIfAbsent(s.snapshotId(), Reason.NEWEST);
      }
      if (s.timestampMillis() >= olderThan.toEpochMilli()) {
        reasons.putIfAbsent(s.snapshotId(), Reason.RECENT);
      }
    }
    List<Kept> kept = new ArrayList<>();
    List<Long> expired = new ArrayList<>();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      Snapshot s = newestFirst.get(i);
      Reason reason = reasons.get(s.snapshotId());
      if (reason == null) {
        expired.add(s.snapshotId());
      } else {
        kept.add(
            new Kept(
                s.snapshotId(),
                Instant.ofEpochMilli(s.timestampMillis()),
                reason,
                windows.get(s.snapshotId())));
      }
    }
    return new Result(kept, expired);
  }

  /**
   * Expires what {@link #plan} says, in one commit, deleting the files only those snapshots
   * referenced.
   *
   * @return what was kept and expired
   */
  public static Result expire(Table table, Instant olderThan, int retainLast) {
    Result plan = plan(table, olderThan, retainLast);
    if (plan.expired().isEmpty()) {
      return plan;
    }
    // Only the named snapshots: Iceberg's own age rule (history.expire.max-snapshot-age-ms, five
    // days by default) would otherwise also take the ones kept above.
    ExpireSnapshots expire = table.expireSnapshots().expireOlderThan(0L).retainLast(1);
    plan.expired().forEach(expire::expireSnapshotId);
    expire.commit();
    return plan;
  }
}
