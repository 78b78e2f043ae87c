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
  /** The run's key (the window's workflow, file-system-safe). */
  public static final String RUN_KEY = "sluice.run-key";
  /** What makes a commit the commit of one run: its key and its Temporal run (or first file). */
  public static final String COMMIT = "sluice.commit";
  public static final String PIPELINE = "sluice.pipeline";
  public static final String WINDOW_KEY = "sluice.window-key";
  public static final String WINDOW = "sluice.window";
  public static final String WATERMARK_COLUMN = "sluice.watermark-column";
  public static final String WATERMARK_FROM = "sluice.watermark-from";
  public static final String WATERMARK_TO = "sluice.watermark-to";
  /** The table's watermark after this commit (carried forward when the run stored none). */
  public static final String WATERMARK = "sluice.watermark";
  public static final String ROWS = "sluice.rows";
  public static final String FILES = "sluice.files";
  public static final String WORKFLOW_ID = "sluice.workflow-id";
  public static final String RUN_ID = "sluice.run-id";
  public static final String COMMITTED_AT = "sluice.committed-at";

  private SnapshotLog() {}

  /** The snapshots of the table's current state, newest first. */
  public static Iterable<Snapshot> ancestry(Table table) {
    Snapshot current = table.currentSnapshot();
    return current == null ? List.of() : SnapshotUtil.ancestorsOf(current.snapshotId(), table::snapshot);
  }

  /** The snapshot a commit {@code token} ({@link #COMMIT}) made, if it is in the ancestry. */
  public static Optional<Snapshot> committed(Table table, String token) {
    for (Snapshot s : ancestry(table)) {
      if (token.equals(s.summary().get(COMMIT))) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  /** The table's watermark: the newest one recorded. */
  public static Optional<String> watermark(Table table) {
    for (Snapshot s : ancestry(table)) {
      String value = s.summary().get(WATERMARK);
      if (value != null) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  /** The range the newest commit of window {@code windowKey} recorded. */
  public static Optional<WindowRange> range(Table table, String windowKey) {
    for (Snapshot s : ancestry(table)) {
      if (windowKey.equals(s.summary().get(WINDOW_KEY))) {
        return Optional.of(range(s.summary()));
      }
    }
    return Optional.empty();
  }

  /** Every committed window's newest range, by window key. */
  public static Map<String, WindowRange> ranges(Table table) {
    Map<String, WindowRange> out = new LinkedHashMap<>();
    for (Snapshot s : ancestry(table)) {
      String key = s.summary().get(WINDOW_KEY);
      if (key != null) {
        out.putIfAbsent(key, range(s.summary()));
      }
    }
    return out;
  }

  /** The committed window of {@code column} whose range starts earliest. */
  public static Optional<WindowRange> first(Table table, String column) {
    return ranges(table).values().stream()
        .filter(r -> r.from() != null && Objects.equals(r.column(), column))
        .min((a, b) -> WindowLedger.comparePositions(a.from(), b.from()));
  }

  /** The snapshots that committed window {@code windowKey}, newest first. */
  public static List<Snapshot> commitsOf(Table table, String windowKey) {
    List<Snapshot> out = new ArrayList<>();
    for (Snapshot s : ancestry(table)) {
      if (windowKey.equals(s.summary().get(WINDOW_KEY))) {
        out.add(s);
      }
    }
    return out;
  }

  private static WindowRange range(Map<String, String> summary) {
    return new WindowRange(
        summary.get(WINDOW),
        summary.get(WATERMARK_COLUMN),
        summary.get(WATERMARK_FROM),
        summary.get(WATERMARK_TO),
        Long.parseLong(summary.getOrDefault(ROWS, "0")),
        Integer.parseInt(summary.getOrDefault(FILES, "0")),
        summary.get(WORKFLOW_ID),
        summary.get(RUN_ID),
        summary.get(COMMITTED_AT));
  }
}
