package dev.sluice.activities.iceberg.maintenance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.ExpireSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;

/**
 * Expires an Iceberg table's old snapshots (and the files only they referenced) without losing what
 * the {@code iceberg} sink reads back from snapshot summaries.
 *
 * <p>The sink keeps no state beside the table: a run's commit is one snapshot whose summary carries
 * the run's commit token, its window and watermark range, and the table's watermark ({@link
 * SinkSummaries}), and the sink reads them back by walking the current snapshot's ancestry, newest
 * first, through parent links: a retried commit looks for its token, the next run takes the newest
 * watermark, a re-run of a window takes that window's newest range and, in {@code overwrite-window}
 * mode, the files its earlier commits added that are still live. A walk stops at the first expired
 * parent, so what it needs must stay reachable. A snapshot is <b>kept</b> when it is:
 *
 * <ul>
 *   <li>the current snapshot, or the head of any branch or tag (Iceberg refuses to expire those);
 *   <li>one of the newest {@code retainLast} snapshots;
 *   <li>not older than {@code olderThan} (a commit whose answer was lost retries within minutes);
 *   <li>the newest commit of its window (its range, for re-runs and {@code sluice state});
 *   <li>a commit of a window whose added data files are still live (an {@code overwrite-window}
 *       re-run finds the rows to replace through it);
 *   <li>the newest commit carrying the watermark (the sink carries it into every commit);
 *   <li>the newest commit naming a deferred set (the set in force of a sink with {@code defer:});
 *   <li>on the current ancestry between the current snapshot and an older kept one, so the walk
 *       reaches that one.
 * </ul>
 *
 * Every other snapshot (older ancestors, and snapshots off the current ancestry, e.g. rolled back)
 * is expired in one commit ({@link ExpireSnapshots#expireSnapshotId}, Iceberg's own age rule
 * switched off so it removes exactly those), and Iceberg deletes the data and manifest files no
 * remaining snapshot references. The table's rows do not change. For an incremental {@code append}
 * table every window's commit stays (its files are live), so expiry mostly reclaims the snapshots
 * before the first window commit and those replaced by re-runs, {@code snapshot}-mode runs and
 * compactions before it.
 */
public final class SnapshotExpiry {

  /** Why a snapshot is kept. */
  public enum Reason {
    CURRENT("the current snapshot"),
    REFERENCED("the head of a branch or tag"),
    NEWEST("one of the newest --retain-last"),
    RECENT("newer than --older-than"),
    WINDOW("the newest commit of its window"),
    WINDOW_FILES("a window commit whose files are live"),
    WATERMARK("the newest commit with the watermark"),
    DEFERRED("the newest commit naming the deferred set"),
    ANCESTRY("between the current snapshot and an older kept one");

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

  /** What an expiry kept (oldest first) and expired (ids, oldest first). */
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
    Snapshot current = table.currentSnapshot();
    if (current != null) {
      reasons.put(current.snapshotId(), Reason.CURRENT);
    }
    for (SnapshotRef ref : table.refs().values()) {
      reasons.putIfAbsent(ref.snapshotId(), Reason.REFERENCED);
    }
    for (int i = 0; i < newestFirst.size(); i++) {
      Snapshot s = newestFirst.get(i);
      if (i < retainLast) {
        reasons.putIfAbsent(s.snapshotId(), Reason.NEWEST);
      }
      if (s.timestampMillis() >= olderThan.toEpochMilli()) {
        reasons.putIfAbsent(s.snapshotId(), Reason.RECENT);
      }
    }
    List<Snapshot> ancestry = SinkSummaries.ancestry(table);
    Map<Long, String> windows = keepWhatTheSinkReads(table, ancestry, reasons);
    // The walk from the current snapshot must reach the oldest snapshot kept on it.
    int oldestKept = -1;
    for (int i = 0; i < ancestry.size(); i++) {
      if (reasons.containsKey(ancestry.get(i).snapshotId())) {
        oldestKept = i;
      }
    }
    for (int i = 0; i < oldestKept; i++) {
      reasons.putIfAbsent(ancestry.get(i).snapshotId(), Reason.ANCESTRY);
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
   * Marks, on the current ancestry, the commits the sink reads back: each window's newest commit,
   * the window commits whose added files are live, the newest commit with the watermark and the
   * newest naming a deferred set (each work unit's own, on a table that units write). Returns the
   * window of every window commit.
   */
  private static Map<Long, String> keepWhatTheSinkReads(
      Table table, List<Snapshot> ancestry, Map<Long, Reason> reasons) {
    Map<Long, String> windows = new HashMap<>();
    // Per work unit (sluice.unit; none on a table without units): each unit's windows and
    // watermark are its own, read from its own commits.
    Set<String> seenWindows = new HashSet<>();
    Set<String> watermarkSeen = new HashSet<>();
    Set<String> deferredSeen = new HashSet<>();
    Set<String> live = null;
    for (Snapshot s : ancestry) {
      Map<String, String> summary = s.summary() == null ? Map.of() : s.summary();
      String unit = summary.getOrDefault(SinkSummaries.UNIT, "");
      String window = SinkSummaries.window(summary);
      if (window != null) {
        windows.put(s.snapshotId(), SinkSummaries.windowLabel(summary));
        if (seenWindows.add(unit + "\u0000" + window)) {
          reasons.putIfAbsent(s.snapshotId(), Reason.WINDOW);
        } else if (!reasons.containsKey(s.snapshotId())) {
          live = live == null ? SinkSummaries.livePaths(table) : live;
          for (DataFile file : s.addedDataFiles(table.io())) {
            if (live.contains(file.location())) {
              reasons.put(s.snapshotId(), Reason.WINDOW_FILES);
              break;
            }
          }
        }
      }
      if (SinkSummaries.hasWatermark(summary) && watermarkSeen.add(unit)) {
        reasons.putIfAbsent(s.snapshotId(), Reason.WATERMARK);
      }
      if (summary.get(SinkSummaries.DEFERRED) != null && deferredSeen.add(unit)) {
        reasons.putIfAbsent(s.snapshotId(), Reason.DEFERRED);
      }
    }
    return windows;
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
