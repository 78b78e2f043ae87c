package dev.sluice.activities.iceberg.maintenance;

import dev.sluice.activities.iceberg.SnapshotLog;
import java.util.HashSet;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * The folders of an {@code iceberg} sink's deferred sets, one per run that applied a deferral rule
 * ({@code <location>/_sluice/[units/<column>=<value>/]deferred/<runKey>-<now>/}): a folder is the
 * set in force, or an earlier one, while a snapshot's summary names it ({@link
 * SnapshotLog.Key#DEFERRED}); a folder no snapshot names is a run's that never committed, or one
 * whose snapshots expired. The cumulative expired set ({@code deferred/_expired/}) is no run's
 * folder: users read it, nothing sweeps it.
 */
final class DeferredFolders {
  private static final Pattern FILE =
      Pattern.compile("(.*/_sluice/(?:units/[^/]+/)?deferred/([^/_.][^/]*))/.+");
  private static final Pattern VERSION = Pattern.compile("(.+)-[0-9]+");

  private DeferredFolders() {}

  /** The folder of the deferred set holding {@code location}, or null for any other file. */
  static String folderOf(String location) {
    Matcher m = FILE.matcher(location);
    return m.matches() ? m.group(1) : null;
  }

  /** The run key of the run that wrote the set holding {@code location}, or null. */
  static String runKeyOf(String location) {
    Matcher m = FILE.matcher(location);
    if (!m.matches()) {
      return null;
    }
    Matcher version = VERSION.matcher(m.group(2));
    return version.matches() ? version.group(1) : null;
  }

  /** The folders some snapshot of the table names, each spelled by {@code normalize}. */
  static Set<String> named(Table table, UnaryOperator<String> normalize) {
    Set<String> out = new HashSet<>();
    for (Snapshot s : table.snapshots()) {
      String folder = s.summary() == null ? null : s.summary().get(SnapshotLog.Key.DEFERRED.key());
      if (folder != null) {
        out.add(normalize.apply(folder).replaceAll("/+$", ""));
      }
    }
    return out;
  }
}
