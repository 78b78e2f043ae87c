package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import java.util.List;

/**
 * The staged files a run's rows are written to: one rolling sequence ({@link RollingFileWriter}),
 * or one per partition ({@link PartitionedFiles}). Not thread-safe: the writer thread's.
 */
interface FileSet {

  /** The files of a schema just fixed, continuing those of {@code from}. */
  static FileSet open(
      HadoopFiles files,
      String stagingUri,
      String runKey,
      SinkOptions options,
      RowWriteSupport support,
      StagingLayout.RowPartitioner partitioner,
      ParquetStagingWriter.WriterState from) {
    return partitioner == null
        ? new RollingFileWriter(
            files, stagingUri, runKey, options, support, from.files(), from.rows(), from.bytes())
        : new PartitionedFiles(
            files,
            stagingUri,
            runKey,
            options,
            support,
            partitioner,
            from.files(),
            from.rows(),
            from.bytes());
  }

  /** Writes one row, opening a file when none is open for it. */
  void write(Object[] row);

  /** Where the following rows keep each schema column (partitioning reads it). */
  default void sourceIndex(int[] sourceIndex) {}

  /** Whether an open file has reached the target size. */
  boolean reachedTarget();

  /** Completes the open files and adds them to the finished ones. */
  void closeCurrent();

  /** Abandons and deletes the open files. */
  void abandonCurrent();

  /** Finished file names relative to the staging directory, in order. */
  List<String> finished();

  /** Rows in the finished files. */
  long rows();

  /** Bytes of the finished files. */
  long bytes();

  /** The finished files as the state a set of files in a widened schema continues from. */
  default ParquetStagingWriter.WriterState sofar() {
    return new ParquetStagingWriter.WriterState(finished(), rows(), bytes(), null, List.of());
  }
}
