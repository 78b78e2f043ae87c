package dev.sluice.activities.iceberg.maintenance;

import dev.sluice.pipeline.DataSize;
import dev.sluice.pipeline.IcebergSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.io.RollingDataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.util.PartitionUtil;
import org.apache.iceberg.util.PropertyUtil;

/**
 * Compaction: rewrites each partition's small data files into files of about the target size, with
 * Iceberg's generic reader and writer, and swaps them in one {@link RewriteFiles} commit (a {@code
 * replace} snapshot: the table's rows do not change, only the files that hold them).
 *
 * <p>A file is small below three quarters of the target (Iceberg's own {@code min-file-size}
 * default); a partition is rewritten when it has at least two small files. Its files are read with
 * the table's current schema, so columns added since a file was written come back null and widened
 * types come back widened, exactly as any reader sees them. Partitions with delete files are left
 * alone (Sluice's sink writes none; merging deletes is not compaction's business). The commit
 * validates from the snapshot it read: a run that commits meanwhile makes it fail, not lose rows,
 * and the files it wrote are deleted.
 */
public final class FileCompaction {

  /** One partition rewritten: its path ({@code ""} unpartitioned), files before and after, rows. */
  public record Rewritten(String partition, int filesBefore, int filesAfter, long rows) {}

  /**
   * What a compaction did.
   *
   * @param snapshotId the replace snapshot committed, or null when nothing needed rewriting
   * @param rewritten the partitions rewritten
   * @param skippedWithDeletes partitions left alone because delete files apply to them
   */
  public record Result(Long snapshotId, List<Rewritten> rewritten, int skippedWithDeletes) {}

  private FileCompaction() {}

  /**
   * The target size in bytes for compacting {@code sink}'s table: {@code size} (e.g. {@code
   * 128MB}), or the sink's {@code targetFileSize} when null.
   *
   * @throws IllegalArgumentException for an {@code overwrite-window} sink, or a size that is not
   *     one
   */
  public static long targetSize(IcebergSink sink, String size) {
    if (sink.mode().equals("overwrite-window")) {
      // A re-run replaces the files its window's earlier commits added; files rewritten by a
      // compaction are added by no window's commit, so the re-run would keep their rows twice.
      throw new IllegalArgumentException(
          "rewrite-files would break re-runs of an overwrite-window sink (a re-run replaces the"
              + " files its window's commits added, and compaction replaces those files); not"
              + " rewritten");
    }
    String chosen = size == null ? sink.targetFileSize() : size;
    if (!DataSize.looksLikeSize(chosen)) {
      throw new IllegalArgumentException(
          "the target file size '" + chosen + "' is not a size such as 128MB");
    }
    return DataSize.parseBytes(chosen);
  }

  /** The table's {@code write.target-file-size-bytes} (512 MB unless the table says otherwise). */
  public static long defaultTargetSize(Table table) {
    return PropertyUtil.propertyAsLong(
        table.properties(),
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
  }

  /**
   * Rewrites the small files of every partition of the current snapshot into files of about {@code
   * targetFileSize} bytes, in one commit.
   *
   * @throws IllegalArgumentException for a table that work units write ({@code sluice.unit})
   */
  public static Result rewrite(Table table, long targetFileSize) {
    if (targetFileSize <= 0) {
      throw new IllegalArgumentException(
          "the target file size must be positive: " + targetFileSize);
    }
    Snapshot base = table.currentSnapshot();
    if (base == null) {
      return new Result(null, List.of(), 0);
    }
    for (Snapshot s : SinkSummaries.ancestry(table)) {
      if (s.summary() != null && s.summary().containsKey(SinkSummaries.UNIT)) {
        // A unit's re-run replaces the files its unit's earlier commits added; files rewritten
        // by a compaction are added by no unit's commit, so the re-run would keep their rows twice.
        throw new IllegalArgumentException(
            "rewrite-files would break re-runs of the work units that write "
                + table.name()
                + " (a unit's re-run replaces the files its unit's commits added, and compaction"
                + " replaces those files); not rewritten");
      }
    }
    Map<String, List<FileScanTask>> groups = new LinkedHashMap<>();
    Set<String> withDeletes = new HashSet<>();
    long small = targetFileSize * 3 / 4;
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(base.snapshotId()).planFiles()) {
      for (FileScanTask task : tasks) {
        String key =
            task.spec().specId() + "/" + task.spec().partitionToPath(task.file().partition());
        if (!task.deletes().isEmpty()) {
          withDeletes.add(key);
        } else if (task.file().fileSizeInBytes() < small) {
          groups.computeIfAbsent(key, k -> new ArrayList<>()).add(task);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot plan the files of " + table.name(), e);
    }
    withDeletes.forEach(groups::remove);
    groups.values().removeIf(g -> g.size() < 2);
    if (groups.isEmpty()) {
      return new Result(null, List.of(), withDeletes.size());
    }
    OutputFileFactory files =
        OutputFileFactory.builderFor(table, 1, System.currentTimeMillis())
            .format(FileFormat.PARQUET)
            .operationId("rewrite-" + UUID.randomUUID())
            .build();
    GenericFileWriterFactory writers =
        new GenericFileWriterFactory.Builder(table)
            .dataFileFormat(FileFormat.PARQUET)
            .dataSchema(table.schema())
            .build();
    List<DataFile> written = new ArrayList<>();
    try {
      RewriteFiles rewrite =
          table
              .newRewrite()
              .validateFromSnapshot(base.snapshotId())
              .dataSequenceNumber(base.sequenceNumber())
              .set(SinkSummaries.MAINTENANCE, "rewrite-files");
      List<Rewritten> rewritten = new ArrayList<>();
      for (List<FileScanTask> group : groups.values()) {
        FileScanTask first = group.get(0);
        List<DataFile> out =
            rewriteGroup(table, group, writers, files, targetFileSize, first.spec());
        written.addAll(out);
        long rows = 0;
        for (FileScanTask task : group) {
          rewrite.deleteFile(task.file());
          rows += task.file().recordCount();
        }
        out.forEach(rewrite::addFile);
        rewritten.add(
            new Rewritten(
                first.spec().partitionToPath(first.file().partition()),
                group.size(),
                out.size(),
                rows));
      }
      rewrite.commit();
      return new Result(table.currentSnapshot().snapshotId(), rewritten, withDeletes.size());
    } catch (CommitStateUnknownException e) {
      throw e; // the commit may have landed: its files may be live, so they stay
    } catch (RuntimeException e) {
      for (DataFile f : written) {
        table.io().deleteFile(f.location());
      }
      throw e;
    }
  }

  /** The rows of one partition's files, read with the current schema, into rolling new files. */
  private static List<DataFile> rewriteGroup(
      Table table,
      List<FileScanTask> group,
      GenericFileWriterFactory writers,
      OutputFileFactory files,
      long targetFileSize,
      PartitionSpec spec) {
    Schema schema = table.schema();
    StructLike partition = group.get(0).file().partition();
    RollingDataWriter<Record> writer =
        new RollingDataWriter<>(writers, files, table.io(), targetFileSize, spec, partition);
    long expected = 0;
    long copied = 0;
    try (writer) {
      for (FileScanTask task : group) {
        expected += task.file().recordCount();
        Map<Integer, ?> constants =
            PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant);
        try (CloseableIterable<Record> rows =
            Parquet.read(table.io().newInputFile(task.file().location()))
                .project(schema)
                .createReaderFunc(
                    fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema, constants))
                .build()) {
          for (Record row : rows) {
            writer.write(row);
            copied++;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite files of " + table.name(), e);
    }
    if (copied != expected) {
      throw new IllegalStateException(
          "read "
              + copied
              + " rows from files whose manifests count "
              + expected
              + " in "
              + table.name()
              + "; nothing committed");
    }
    return writer.result().dataFiles();
  }
}
