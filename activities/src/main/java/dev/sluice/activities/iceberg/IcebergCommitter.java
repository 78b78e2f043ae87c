package dev.sluice.activities.iceberg;

import dev.sluice.workflows.activities.Messages.PublishRequest;
import dev.sluice.workflows.activities.Messages.PublishResult;
import dev.sluice.workflows.activities.WindowMessages.WindowCommit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.parquet.ParquetUtil;

/**
 * Commits a run's staged data files into its Iceberg table in one snapshot, whose summary records
 * the run ({@link SnapshotLog}). Before committing it looks for the run's commit among the table's
 * snapshots: found, it answers what that commit did and commits nothing, so a retried publish (a
 * lost answer, a worker killed after the commit, Iceberg's {@code CommitStateUnknownException}
 * left to the activity's retry) never appends twice.
 *
 * <p>Modes: {@code append} adds the files; {@code overwrite-window} replaces, in the same commit,
 * exactly the data files earlier commits of the same window added that are still live (found by
 * each such snapshot's added files), so a re-run neither loses nor duplicates a row; {@code
 * snapshot} replaces every data file of the table.
 */
final class IcebergCommitter {
  private final Clock clock;

  IcebergCommitter(Clock clock) {
    this.clock = clock;
  }

  /** The token that identifies the commit of {@code request}'s run. */
  static String token(PublishRequest request) {
    WindowCommit commit = request.commit();
    String attempt =
        commit != null ? commit.runId() : request.files().isEmpty() ? "-" : request.files().get(0);
    return request.runKey() + "/" + attempt;
  }

  /** Commits {@code request}'s files into {@code table}, or answers its earlier commit. */
  PublishResult commit(Table table, PublishRequest request, String mode) {
    table.refresh();
    Optional<Snapshot> earlier = SnapshotLog.committed(table, token(request));
    if (earlier.isPresent()) {
      return result(table, earlier.get());
    }
    List<DataFile> files = dataFiles(table, request);
    SnapshotUpdate<?> update =
        switch (mode) {
          case "append" -> {
            var append = table.newAppend();
            files.forEach(append::appendFile);
            yield append;
          }
          case "snapshot" -> {
            OverwriteFiles overwrite = table.newOverwrite();
            overwrite.overwriteByRowFilter(Expressions.alwaysTrue());
            files.forEach(overwrite::addFile);
            yield overwrite;
          }
          case "overwrite-window" -> {
            OverwriteFiles overwrite = table.newOverwrite();
            replacedByWindow(table, request).forEach(overwrite::deleteFile);
            files.forEach(overwrite::addFile);
            yield overwrite;
          }
          default ->
              throw new dev.sluice.activities.parquet.InvalidSinkException(
                  "sink.mode must be append, overwrite-window or snapshot, not '" + mode + "'");
        };
    summary(table, request).forEach(update::set);
    update.commit();
    table.refresh();
    return result(table, SnapshotLog.committed(table, token(request)).orElseThrow());
  }

  /** What the run's commit records, the watermark carried forward when the run stored none. */
  private Map<String, String> summary(Table table, PublishRequest request) {
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put(SnapshotLog.RUN_KEY, request.runKey());
    summary.put(SnapshotLog.COMMIT, token(request));
    summary.put(SnapshotLog.ROWS, Long.toString(request.rows()));
    summary.put(SnapshotLog.FILES, Integer.toString(request.files().size()));
    summary.put(SnapshotLog.COMMITTED_AT, clock.instant().toString());
    String watermark =
        request.newWatermark() != null
            ? request.newWatermark()
            : SnapshotLog.watermark(table).orElse(null);
    putIfSet(summary, SnapshotLog.WATERMARK, watermark);
    putIfSet(summary, SnapshotLog.WATERMARK_COLUMN, request.watermarkColumn());
    WindowCommit commit = request.commit();
    if (commit != null) {
      summary.put(SnapshotLog.WINDOW_KEY, commit.windowKey());
      putIfSet(summary, SnapshotLog.WINDOW, commit.window());
      putIfSet(summary, SnapshotLog.WATERMARK_COLUMN, commit.column());
      putIfSet(summary, SnapshotLog.WATERMARK_FROM, commit.from());
      putIfSet(summary, SnapshotLog.WATERMARK_TO, commit.to());
      summary.put(SnapshotLog.WORKFLOW_ID, commit.holder().workflowId());
      summary.put(SnapshotLog.RUN_ID, commit.runId());
      putIfSet(summary, SnapshotLog.PIPELINE, pipeline(commit.holder().workflowId()));
    }
    return summary;
  }

  /** The pipeline of a workflow ID {@code ingest/<pipeline>/<logical date>}, or null. */
  private static String pipeline(String workflowId) {
    String[] parts = workflowId == null ? new String[0] : workflowId.split("/");
    return parts.length >= 3 && parts[0].equals("ingest") ? parts[1] : null;
  }

  private static void putIfSet(Map<String, String> summary, String key, String value) {
    if (value != null) {
      summary.put(key, value);
    }
  }

  /** The staged files as data files: their metrics read from their footers, their partition. */
  private static List<DataFile> dataFiles(Table table, PublishRequest request) {
    MetricsConfig metrics = MetricsConfig.forTable(table);
    List<DataFile> out = new ArrayList<>();
    for (String name : request.files()) {
      String path = request.stagingUri() + "/" + name;
      InputFile in = table.io().newInputFile(path);
      Metrics m = ParquetUtil.fileMetrics(in, metrics);
      DataFiles.Builder file =
          DataFiles.builder(table.spec())
              .withPath(path)
              .withFormat(FileFormat.PARQUET)
              .withFileSizeInBytes(in.getLength())
              .withMetrics(m);
      int slash = name.lastIndexOf('/');
      if (!table.spec().isUnpartitioned()) {
        file.withPartitionPath(slash < 0 ? "" : name.substring(0, slash));
      }
      out.add(file.build());
    }
    return out;
  }

  /** The live data files earlier commits of the request's window (or run key) added. */
  private static List<DataFile> replacedByWindow(Table table, PublishRequest request) {
    WindowCommit commit = request.commit();
    List<Snapshot> earlier = new ArrayList<>();
    for (Snapshot s : SnapshotLog.ancestry(table)) {
      Map<String, String> summary = s.summary();
      boolean same =
          commit != null
              ? commit.windowKey().equals(summary.get(SnapshotLog.WINDOW_KEY))
              : request.runKey().equals(summary.get(SnapshotLog.RUN_KEY));
      if (same) {
        earlier.add(s);
      }
    }
    if (earlier.isEmpty()) {
      return List.of();
    }
    Set<String> live = livePaths(table);
    List<DataFile> out = new ArrayList<>();
    for (Snapshot s : earlier) {
      for (DataFile file : s.addedDataFiles(table.io())) {
        if (live.remove(file.location())) {
          out.add(file);
        }
      }
    }
    return out;
  }

  /** The paths of the table's data files now. */
  static Set<String> livePaths(Table table) {
    Set<String> live = new HashSet<>();
    if (table.currentSnapshot() == null) {
      return live;
    }
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(task -> live.add(task.file().location()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return live;
  }

  /** What a commit did: the table's location, the files it added and their bytes. */
  private static PublishResult result(Table table, Snapshot snapshot) {
    List<String> uris = new ArrayList<>();
    long bytes = 0;
    for (DataFile file : snapshot.addedDataFiles(table.io())) {
      uris.add(file.location());
      bytes += file.fileSizeInBytes();
    }
    return new PublishResult(table.location(), uris, bytes);
  }
}
