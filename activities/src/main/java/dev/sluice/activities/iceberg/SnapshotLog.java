package dev.sluice.activities.iceberg;

import dev.sluice.activities.parquet.WindowLedger;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * What Sluice records in the summaries of the snapshots it commits, and reads back from the
 * ancestry of the table's current snapshot (newest first): the run that committed, its window and
 * watermark range, the table's watermark. No second store to drift out of step with the table:
 * a snapshot rolled back takes its run's record with it.
 *
 * <p>The watermark is carried forward into every commit, so expiring old snapshots never loses it;
 * a window's range lives in the summaries of the snapshots that committed that window, which
 * snapshot expiry must keep (the newest commit of each window) for re-runs of old windows to know
 * their range.
 */
public final class SnapshotLog {
  /**
   * The summary keys Sluice writes, each {@code sluice.} and its name in kebab case: {@code
   * RUN_KEY} is {@code sluice.run-key}. {@code COMMIT} is what makes a commit the commit of one
   * run (its key and its Temporal run, or its first file); {@code WATERMARK} the table's watermark
   * after the commit (carried forward when the run stored none); {@code DEFERRED} the folder of
   * the deferred set the run left ({@link IcebergDeferral}) and {@code DEFERRED_ROWS} its rows; the
   * others the run's window, its watermark range, rows, files, workflow, Temporal run and time.
   */
  public enum Key {
    RUN_KEY,
    COMMIT,
    PIPELINE,
    UNIT,
    WINDOW_KEY,
    WINDOW,
    WATERMARK_COLUMN,
    WATERMARK_FROM,
    WATERMARK_TO,
    WATERMARK,
    ROWS,
    FILES,
    WORKFLOW_ID,
    RUN_ID,
    COMMITTED_AT,
    DEFERRED,
    DEFERRED_ROWS;

    /** The key as written in a snapshot summary. */
    public String key() {
      return "sluice." + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private SnapshotLog() {}

  /** The snapshots of the table's current state, newest first. */
  public static Iterable<Snapshot> ancestry(Table table) {
    Snapshot current = table.currentSnapshot();
    return current == null ? List.of() : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot);
  }

  /**
   * The snapshots of the table's current state that work unit {@code unit} committed ({@link
   * Key#UNIT}), newest first; every snapshot of it when {@code unit} is null.
   */
  public static Iterable<Snapshot> ancestry(Table table, String unit) {
    if (unit == null) {
      return ancestry(table);
    }
    List<Snapshot> out = new ArrayList<>();
    for (Snapshot s : ancestry(table)) {
      if (unit.equals(s.summary().get(Key.UNIT.key()))) {
        out.add(s);
      }
    }
    return out;
  }

  /** The snapshot a commit {@code token} ({@link Key#COMMIT}) made, if it is in the ancestry. */
  public static Optional<Snapshot> committed(Table table, String token) {
    for (Snapshot s : ancestry(table)) {
      if (token.equals(s.summary().get(Key.COMMIT.key()))) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The table's watermark: the newest one recorded. */
  public static Optional<String> watermark(Table table) {
    return watermark(table, null);
  }

  /** The watermark of work unit {@code unit} (the table's when null): the newest it recorded. */
  public static Optional<String> watermark(Table table, String unit) {
    return watermarkCommit(table, unit).map(s -> s.summary().get(Key.WATERMARK.key()));
  }

  /** The newest snapshot that records a watermark: who stored the table's watermark, and when. */
  public static Optional<Snapshot> watermarkCommit(Table table) {
    return watermarkCommit(table, null);
  }

  /** The newest snapshot of work unit {@code unit} (the table's when null) with a watermark. */
  public static Optional<Snapshot> watermarkCommit(Table table, String unit) {
    return newestWith(table, unit, Key.WATERMARK);
  }

  /**
   * The folder of work unit {@code unit}'s (the table's when null) deferred set in force: the one
   * its newest commit naming a deferred set names.
   */
  public static Optional<String> deferredSet(Table table, String unit) {
    return deferredCommit(table, unit).map(s -> s.summary().get(Key.DEFERRED.key()));
  }

  /** The newest snapshot of work unit {@code unit} (the table's when null) naming a deferred set. */
  public static Optional<Snapshot> deferredCommit(Table table, String unit) {
    return newestWith(table, unit, Key.DEFERRED);
  }

  /** The newest snapshot of work unit {@code unit} (the table's when null) that sets {@code key}. */
  private static Optional<Snapshot> newestWith(Table table, String unit, Key key) {
    for (Snapshot s : ancestry(table, unit)) {
      if (s.summary().get(key.key()) != null) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The range the newest commit of window {@code windowKey} recorded. */
  public static Optional<WindowRange> range(Table table, String windowKey) {
    return range(table, windowKey, null);
  }

  /** The range the newest commit of window {@code windowKey} by work unit {@code unit} recorded. */
  public static Optional<WindowRange> range(Table table, String windowKey, String unit) {
    for (Snapshot s : ancestry(table, unit)) {
      if (windowKey.equals(s.summary().get(Key.WINDOW_KEY.key()))) {
        return Optional.of(range(s.summary()));
      }
    }
    return Optional.empty();
  }

  /** Every committed window's newest range, by window key. */
  public static Map<String, WindowRange> ranges(Table table) {
    return ranges(table, null);
  }

  /** Every window's newest range as work unit {@code unit} committed it, by window key. */
  public static Map<String, WindowRange> ranges(Table table, String unit) {
    Map<String, WindowRange> out = new LinkedHashMap<>();
    for (Snapshot s : ancestry(table, unit)) {
      String key = s.summary().get(Key.WINDOW_KEY.key());
      if (key != null) {
        out.putIfAbsent(key, range(s.summary()));
      }
    }
    return out;
  }

  /** The committed window of {@code column} whose range starts earliest. */
  public static Optional<WindowRange> first(Table table, String column) {
    return first(table, column, null);
  }

  /** {@link #first(Table, String)} among the windows work unit {@code unit} committed. */
  public static Optional<WindowRange> first(Table table, String column, String unit) {
    return ranges(table, unit).values().stream()
        .filter(r -> r.from() != null && Objects.equals(r.column(), column))
        .min((a, b) -> WindowLedger.comparePositions(a.from(), b.from()));
  }

  /** The snapshots that committed window {@code windowKey}, newest first. */
  public static List<Snapshot> commitsOf(Table table, String windowKey) {
    List<Snapshot> out = new ArrayList<>();
    for (Snapshot s : ancestry(table)) {
      if (windowKey.equals(s.summary().get(Key.WINDOW_KEY.key()))) {
        out.add(s);
      }
    }
    return out;
  }

  private static WindowRange range(Map<String, String> summary) {
    return new WindowRange(
        summary.get(Key.WINDOW.key()),
        summary.get(Key.WATERMARK_COLUMN.key()),
        summary.get(Key.WATERMARK_FROM.key()),
        summary.get(Key.WATERMARK_TO.key()),
        Long.parseLong(summary.getOrDefault(Key.ROWS.key(), "0")),
        Integer.parseInt(summary.getOrDefault(Key.FILES.key(), "0")),
        summary.get(Key.WORKFLOW_ID.key()),
        summary.get(Key.RUN_ID.key()),
        summary.get(Key.COMMITTED_AT.key()));
  }
}
