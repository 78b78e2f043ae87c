package dev.sluice.activities.iceberg;

import dev.sluice.activities.parquet.RerunRefusedException;
import dev.sluice.pipeline.IcebergSink;
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
 * lost answer, a worker killed after the commit, Iceberg's {@code CommitStateUnknownException} left
 * to the activity's retry) never appends twice.
 *
 * <p>Modes: {@code append} adds the files; {@code overwrite-window} replaces, in the same commit,
 * exactly the data files earlier commits of the same window added that are still live (found by
 * each such snapshot's added files), so a re-run neither loses nor duplicates a row; {@code
 * snapshot} replaces every data file of the table.
 *
 * <p>Files of released rows ({@link IcebergDeferral#isReleased}: deferred by earlier runs, landed
 * by this one) are never replaced by a re-run of the run key or window: they are not the window's
 * own rows, and the deferred set no longer holds them. {@code snapshot} mode replaces them too.
 *
 * <p>A work unit's run ({@link IcebergSink#unit()}) marks its commit with its unit ({@link
 * SnapshotLog.Key#UNIT}), and everything it replaces is its unit's own: the files its unit's
 * earlier commits of the run key or window added, and in {@code snapshot} mode every file its unit
 * added (the unit's rows, not the table's).
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
    return commit(table, request, mode, t -> Map.of());
  }

  /**
   * {@link #commit(Table, PublishRequest, String)}, its summary also carrying what {@code more}
   * gives, asked only when the run has not committed before.
   */
  PublishResult commit(
      Table table,
      PublishRequest request,
      String mode,
      java.util.function.Function<Table, Map<String, String>> more) {
    table.refresh();
    Optional<Snapshot> earlier = SnapshotLog.committed(table, token(request));
    if (earlier.isPresent()) {
      VersionHint.repair(table); // the commit may have been cut off before its hint was written
      return result(table, earlier.get());
    }
    List<DataFile> files = dataFiles(table, request);
    SnapshotUpdate<?> update =
        switch (mode) {
          case "append" -> {
            // As the parquet sink's append: a re-run of the same run key (a new Temporal run of the
            // same window) replaces what the earlier run committed instead of adding it twice.
            List<DataFile> sameRun = replacedByRunKey(table, request);
            if (sameRun.isEmpty()) {
              var append = table.newAppend();
              files.forEach(append::appendFile);
              yield append;
            }
            OverwriteFiles overwrite = table.newOverwrite();
            sameRun.forEach(overwrite::deleteFile);
            files.forEach(overwrite::addFile);
            yield overwrite;
          }
          case "snapshot" -> {
            OverwriteFiles overwrite = table.newOverwrite();
            String unit = unitOf(request);
            if (unit == null) {
              overwrite.overwriteByRowFilter(Expressions.alwaysTrue());
            } else {
              liveFilesAddedBy(table, unit, SnapshotLog.Key.UNIT, unit)
                  .forEach(overwrite::deleteFile);
            }
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
    more.apply(table).forEach(update::set);
    update.commit();
    table.refresh();
    return result(table, SnapshotLog.committed(table, token(request)).orElseThrow());
  }

  /** What the run's commit records, the watermark carried forward when the run stored none. */
  private Map<String, String> summary(Table table, PublishRequest request) {
    Map<String, String> summary = new LinkedHashMap<>();
    summary.put(SnapshotLog.Key.RUN_KEY.key(), request.runKey());
    summary.put(SnapshotLog.Key.COMMIT.key(), token(request));
    summary.put(SnapshotLog.Key.ROWS.key(), Long.toString(request.rows()));
    summary.put(SnapshotLog.Key.FILES.key(), Integer.toString(request.files().size()));
    summary.put(SnapshotLog.Key.COMMITTED_AT.key(), clock.instant().toString());
    String watermark =
        request.newWatermark() != null
            ? request.newWatermark()
            : SnapshotLog.watermark(table, unitOf(request)).orElse(null);
    putIfSet(summary, SnapshotLog.Key.UNIT.key(), unitOf(request));
    putIfSet(summary, SnapshotLog.Key.WATERMARK.key(), watermark);
    putIfSet(summary, SnapshotLog.Key.WATERMARK_COLUMN.key(), request.watermarkColumn());
    WindowCommit commit = request.commit();
    if (commit != null) {
      summary.put(SnapshotLog.Key.WINDOW_KEY.key(), commit.windowKey());
      putIfSet(summary, SnapshotLog.Key.WINDOW.key(), commit.window());
      putIfSet(summary, SnapshotLog.Key.WATERMARK_COLUMN.key(), commit.column());
      putIfSet(summary, SnapshotLog.Key.WATERMARK_FROM.key(), commit.from());
      putIfSet(summary, SnapshotLog.Key.WATERMARK_TO.key(), commit.to());
      summary.put(SnapshotLog.Key.WORKFLOW_ID.key(), commit.holder().workflowId());
      summary.put(SnapshotLog.Key.RUN_ID.key(), commit.runId());
      putIfSet(summary, SnapshotLog.Key.PIPELINE.key(), pipeline(commit.holder().workflowId()));
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
      if (!table.spec().isUnpartitioned()) {
        file.withPartition(PartitionPaths.parse(table.spec(), partitionOf(name, table)));
      }
      out.add(file.build());
    }
    return out;
  }

  /**
   * The partition directories of a staged file's name: its last directories, one per partition
   * field (a deferral's released rows are a folder further down, {@code released/<partition>/}).
   */
  private static String partitionOf(String name, Table table) {
    String[] parts = name.split("/");
    int fields = table.spec().fields().size();
    int from = Math.max(0, parts.length - 1 - fields);
    return String.join("/", java.util.Arrays.asList(parts).subList(from, parts.length - 1));
  }

  /** The live data files earlier commits of the request's window (or run key) added. */
  private static List<DataFile> replacedByWindow(Table table, PublishRequest request) {
    WindowCommit commit = request.commit();
    return commit == null
        ? replacedByRunKey(table, request)
        : liveFilesAddedBy(table, unitOf(request), SnapshotLog.Key.WINDOW_KEY, commit.windowKey());
  }

  /** The live data files earlier commits of the request's run key added. */
  private static List<DataFile> replacedByRunKey(Table table, PublishRequest request) {
    return liveFilesAddedBy(table, unitOf(request), SnapshotLog.Key.RUN_KEY, request.runKey());
  }

  /** The work unit whose run {@code request} commits, or null. */
  private static String unitOf(PublishRequest request) {
    return request.sink() instanceof IcebergSink sink ? sink.unitValue() : null;
  }

  /**
   * The live data files added by the current state's commits of work unit {@code unit} (any when
   * null) whose summary has key = value.
   */
  private static List<DataFile> liveFilesAddedBy(
      Table table, String unit, SnapshotLog.Key key, String value) {
    List<Snapshot> earlier = new ArrayList<>();
    for (Snapshot s : SnapshotLog.ancestry(table, unit)) {
      if (value.equals(s.summary().get(key.key()))) {
        earlier.add(s);
      }
    }
    if (earlier.isEmpty()) {
      return List.of();
    }
    refuseRewritten(table, earlier, key, value);
    Set<String> live = livePaths(table);
    List<DataFile> out = new ArrayList<>();
    for (Snapshot s : earlier) {
      for (DataFile file : s.addedDataFiles(table.io())) {
        boolean kept = key != SnapshotLog.Key.UNIT && IcebergDeferral.isReleased(file.location());
        if (!kept && live.remove(file.location())) {
          out.add(file);
        }
      }
    }
    return out;
  }

  /**
   * Refuses a re-run whose earlier commits' files a compaction ({@code replace} snapshot, e.g.
   * {@code sluice table rewrite-files}) rewrote: their rows now sit in files shared with other
   * runs, so a re-run could neither replace them nor tell them apart, and would add them twice.
   *
   * @throws RerunRefusedException naming the compaction's snapshot, changing nothing
   */
  private static void refuseRewritten(
      Table table, List<Snapshot> earlier, SnapshotLog.Key key, String value) {
    long oldest = earlier.stream().mapToLong(Snapshot::sequenceNumber).min().orElseThrow();
    Set<String> added = new HashSet<>();
    for (Snapshot s : earlier) {
      s.addedDataFiles(table.io()).forEach(f -> added.add(f.location()));
    }
    for (Snapshot s : table.snapshots()) {
      if (!"replace".equals(s.operation()) || s.sequenceNumber() <= oldest) {
        continue;
      }
      for (DataFile removed : s.removedDataFiles(table.io())) {
        if (added.contains(removed.location())) {
          throw new RerunRefusedException(
              "table "
                  + table.name()
                  + ": the rows this run replaces ("
                  + key.key()
                  + " = "
                  + value
                  + ") were rewritten by a compaction into files shared with other runs' rows"
                  + " (snapshot "
                  + s.snapshotId()
                  + ", "
                  + java.time.Instant.ofEpochMilli(s.timestampMillis())
                  + "), so a re-run would add them twice; nothing was committed. To re-run it,"
                  + " roll the table back to the snapshot before that one"
                  + " (docs/how-to/iceberg.md#compaction-and-re-runs)");
        }
      }
    }
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
