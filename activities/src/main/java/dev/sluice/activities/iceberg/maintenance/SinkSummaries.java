package dev.sluice.activities.iceberg.maintenance;

import dev.sluice.activities.iceberg.SnapshotLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.CloseableIterable;

/**
 * What maintenance needs to know of the {@code iceberg} sink's snapshot summaries: which window a
 * commit belongs to and whether it carries the watermark, read the way the sink reads them (the
 * current snapshot's ancestry, newest first). The keys are the sink's ({@link SnapshotLog}).
 */
final class SinkSummaries {
  static final String RUN_KEY = SnapshotLog.Key.RUN_KEY.key();
  static final String WINDOW_KEY = SnapshotLog.Key.WINDOW_KEY.key();
  static final String WINDOW = SnapshotLog.Key.WINDOW.key();
  static final String WATERMARK = SnapshotLog.Key.WATERMARK.key();
  static final String UNIT = SnapshotLog.Key.UNIT.key();
  static final String DEFERRED = SnapshotLog.Key.DEFERRED.key();

  /** Set on the snapshots maintenance commits, so nobody mistakes them for a run's. */
  static final String MAINTENANCE = "sluice.maintenance";

  private SinkSummaries() {}

  /** The current snapshot and its ancestors, newest first, as far as parent links reach. */
  static List<Snapshot> ancestry(Table table) {
    List<Snapshot> out = new ArrayList<>();
    SnapshotLog.ancestry(table).forEach(out::add);
    return out;
  }

  /**
   * The window a sink commit belongs to (its window key; its run key when it has none), or null.
   */
  static String window(Map<String, String> summary) {
    String window = summary.get(WINDOW_KEY);
    return window != null ? window : summary.get(RUN_KEY);
  }

  /** How a window is shown: its name when it has one, else its key. */
  static String windowLabel(Map<String, String> summary) {
    String name = summary.get(WINDOW);
    return name != null ? name : window(summary);
  }

  /** Whether the commit carries the table's watermark. */
  static boolean hasWatermark(Map<String, String> summary) {
    return summary.get(WATERMARK) != null;
  }

  /** The locations of the current snapshot's data files, from its data manifests. */
  static Set<String> livePaths(Table table) {
    Set<String> live = new HashSet<>();
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return live;
    }
    for (ManifestFile manifest : current.dataManifests(table.io())) {
      try (CloseableIterable<String> paths =
          ManifestFiles.readPaths(manifest, table.io(), table.specs())) {
        paths.forEach(live::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read manifest " + manifest.path(), e);
      }
    }
    return live;
  }
}
