package dev.sluice.activities.iceberg;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.iceberg.maintenance.OrphanFiles;
import dev.sluice.activities.parquet.Column;
import dev.sluice.activities.parquet.DeferralPlacement;
import dev.sluice.activities.parquet.StagingLayout;
import dev.sluice.activities.parquet.TableFormat;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.pipeline.LakeTable;
import dev.sluice.workflows.activities.Messages.DeferralRequest;
import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.WindowMessages.WindowRange;
import io.temporal.activity.Activity;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.iceberg.Table;

/**
 * The {@code iceberg} sink's table format: staged files are written with the table's field IDs into
 * {@code <location>/data/sluice-<runKey>/}, under names unique to the Temporal run ({@link
 * IcebergStaging}), and committed where they are in one snapshot ({@link IcebergCommitter}); the
 * watermark and the windows' ranges are read from the snapshot summaries ({@link SnapshotLog}).
 * Window leases stay files under {@code <location>/_sluice/leases/} (the activities' own): a lease
 * is held while a run extracts, long before it commits, so it cannot live in a snapshot.
 *
 * @param catalogs the worker's catalogs
 * @param files the worker's file systems (discarding an aborted run's files)
 * @param clock when commits happen (their summaries record it)
 */
public record IcebergFormat(IcebergCatalogs catalogs, HadoopFiles files, Clock clock)
    implements TableFormat {

  /**
   * {@inheritDoc} The file names carry the Temporal run of the activity asking, so a re-run of a
   * window never writes over a file an earlier run committed.
   */
  @Override
  public StagingLayout staging(LakeTable table) {
    return staging(table, Activity.getExecutionContext().getInfo().getRunId());
  }

  /** {@link #staging(LakeTable)} for the Temporal run {@code runId} (tests give their own). */
  public StagingLayout staging(LakeTable table, String runId) {
    return new IcebergStaging(catalogs, sink(table), runId);
  }

  @Override
  public Optional<String> watermark(LakeTable table) {
    String unit = sink(table).unitValue();
    return catalogs.load(sink(table)).flatMap(t -> SnapshotLog.watermark(t, unit));
  }

  @Override
  public Optional<WindowRange> range(LakeTable table, String windowKey) {
    String unit = sink(table).unitValue();
    return catalogs.load(sink(table)).flatMap(t -> SnapshotLog.range(t, windowKey, unit));
  }

  @Override
  public Optional<WindowRange> first(LakeTable table, String column) {
    String unit = sink(table).unitValue();
    return catalogs.load(sink(table)).flatMap(t -> SnapshotLog.first(t, column, unit));
  }

  /** Never: every commit to an Iceberg table records its window. */
  @Override
  public boolean hasFilesOf(LakeTable table, String windowKey) {
    return false;
  }

  /**
   * {@inheritDoc} With {@code defer:}, the run's commit also names the folder of its new deferred
   * set ({@link IcebergDeferral}).
   */
  @Override
  public PublishResult publish(PublishRequest request) {
    IcebergSink sink = sink(request.sink());
    Table table = catalogs.load(sink).orElseGet(() -> catalogs.loadOrCreate(sink, declared(sink)));
    IcebergCommitter committer = new IcebergCommitter(clock);
    if (request.defer() == null) {
      return committer.commit(table, request, sink.mode());
    }
    IcebergDeferral deferral = new IcebergDeferral(catalogs, files);
    return committer.commit(table, request, sink.mode(), t -> deferral.summary(t, request));
  }

  @Override
  public PublishResult published(PublishRequest request) {
    return publish(request); // finds the run's commit and answers it
  }

  /** {@inheritDoc} See {@link IcebergDeferral}. */
  @Override
  public DeferralPlacement deferral(DeferralRequest request) {
    return new IcebergDeferral(catalogs, files).placement(request);
  }

  /**
   * The committed files stay where they were staged; with {@code defer:} the run's expired rows
   * move into the expired set ({@link IcebergDeferral#cleanUp}).
   */
  @Override
  public void cleanUp(PublishRequest request) {
    if (request.defer() != null) {
      new IcebergDeferral(catalogs, files).cleanUp(request);
    }
  }

  /**
   * {@inheritDoc} Deletes the files under the staging directory that no snapshot of the table
   * reaches: a re-run's staging is the window's, and files a later run replaced stay while an older
   * snapshot holds them (time travel, {@code rollback_to_snapshot}) until snapshot expiry.
   */
  @Override
  public boolean discard(LakeTable table, String stagingUri) {
    Optional<Table> loaded = catalogs.load(sink(table));
    // Compared by path alone: file:///x and Hadoop's file:/x name the same file.
    Set<String> live = new java.util.HashSet<>();
    loaded.map(OrphanFiles::reachable).orElse(Set.of()).forEach(p -> live.add(pathOf(p)));
    FileSystem fs = files.fs(stagingUri);
    Path dir = new Path(stagingUri);
    boolean any = false;
    try {
      if (!fs.exists(dir)) {
        return false;
      }
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(dir, true);
      while (it.hasNext()) {
        Path path = it.next().getPath();
        if (!live.contains(pathOf(path.toString()))) {
          any |= fs.delete(path, false);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot discard " + stagingUri + ": " + e.getMessage(), e);
    }
    return any;
  }

  /** The table's schema when a run with no rows creates it: the declared columns. */
  private static org.apache.iceberg.Schema declared(IcebergSink sink) {
    List<Column> columns = sink.columns().stream().map(Column::declared).toList();
    return IcebergTypes.schema(columns);
  }

  private static String pathOf(String location) {
    return new Path(location).toUri().getPath();
  }

  private static IcebergSink sink(LakeTable table) {
    return (IcebergSink) table; // registered for IcebergSink only (TableFormats)
  }
}
