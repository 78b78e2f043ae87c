package dev.sluice.activities.iceberg;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.TableState;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * The state of an {@code iceberg} sink's table, for people ({@code sluice state show|windows}), in
 * the shape {@link TableState} gives a parquet sink's: the watermark and each window's range are
 * read from the snapshot summaries by {@link SnapshotLog}, the reader the sink itself uses, so what
 * the command prints is what the next run reads; the leases, receipts, sent batches and resets
 * are Sluice's files under {@code <location>/_sluice/}, read by {@link TableState}.
 */
public final class IcebergTableState {
  private final IcebergCatalogs catalogs;
  private final TableState files;

  public IcebergTableState(IcebergCatalogs catalogs, HadoopFiles files, Clock clock) {
    this.catalogs = catalogs;
    this.files = new TableState(files, clock);
  }

  /**
   * The table's state; a table no run has created yet has no watermark and no windows.
   *
   * @throws RuntimeException when the catalog cannot be reached (as Iceberg throws it)
   */
  public TableState.Snapshot read(IcebergSink sink) {
    TableState.Snapshot beside = files.read(sink);
    Optional<Table> table = catalogs.load(sink);
    TableState.Watermark watermark =
        table.flatMap(SnapshotLog::watermarkCommit).map(IcebergTableState::watermark).orElse(null);
    // In key order, as a parquet sink's windows are listed.
    Map<String, WindowRange> byKey = new TreeMap<>(table.map(SnapshotLog::ranges).orElse(Map.of()));
    return new TableState.Snapshot(
        beside.table(),
        watermark,
        new ArrayList<>(byKey.values()),
        beside.leases(),
        beside.openReceipts(),
        beside.sentBatches(),
        beside.resets());
  }

  private static TableState.Watermark watermark(Snapshot s) {
    Map<String, String> summary = s.summary();
    String at = summary.get(SnapshotLog.Key.COMMITTED_AT.key());
    return new TableState.Watermark(
        summary.get(SnapshotLog.Key.WATERMARK_COLUMN.key()),
        summary.get(SnapshotLog.Key.WATERMARK.key()),
        summary.get(SnapshotLog.Key.RUN_KEY.key()),
        at != null ? at : Instant.ofEpochMilli(s.timestampMillis()).toString());
  }
}
