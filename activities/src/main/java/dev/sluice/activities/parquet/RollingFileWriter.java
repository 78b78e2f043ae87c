package dev.sluice.activities.parquet;

import dev.sluice.activities.fs.HadoopFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.util.HadoopOutputFile;

/**
 * Writes rows into a sequence of staged files {@code part-<runKey>-<seq>.parquet}, opening the next
 * file on the first row after one was closed. Keeps the totals of finished files. Not thread-safe:
 * one thread at a time, with a happens-before edge between threads.
 */
final class RollingFileWriter implements FileSet {
  private final HadoopFiles files;
  private final FileSystem fs;
  private final String stagingUri;
  private final String runKey;
  private final SinkOptions options;
  private final WriteSupport<Object[]> support;
  private final List<String> finished;
  private long rows;
  private long bytes;
  private ParquetWriter<Object[]> current;
  private AbortableOutputFile currentFile;
  private long currentRows;

  /** Continues after {@code finished} files holding {@code rows} rows in {@code bytes} bytes. */
  RollingFileWriter(
      HadoopFiles files,
      String stagingUri,
      String runKey,
      SinkOptions options,
      WriteSupport<Object[]> support,
      List<String> finished,
      long rows,
      long bytes) {
    this.files = files;
    // HadoopFiles switches write checksums off on the cached instance HadoopOutputFile uses too.
    this.fs = files.fs(stagingUri);
    this.stagingUri = stagingUri;
    this.runKey = runKey;
    this.options = options;
    this.support = support;
    this.finished = new ArrayList<>(finished);
    this.rows = rows;
    this.bytes = bytes;
  }

  /** Writes one row, opening a file when none is open. */
  @Override
  public void write(Object[] row) {
    try {
      if (current == null) {
        open();
      }
      current.write(row);
      currentRows++;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write " + currentFile.getPath() + ": " + e.getMessage(), e);
    }
  }

  /** Whether the open file has reached the target size (written plus buffered bytes). */
  @Override
  public boolean reachedTarget() {
    return current != null && current.getDataSize() >= options.targetFileBytes();
  }

  /** Completes the open file, if any, and adds it to the finished files. */
  @Override
  public void closeCurrent() {
    if (current == null) {
      return;
    }
    Path path = new Path(currentFile.getPath());
    try {
      current.close();
      bytes += fs.getFileStatus(path).getLen();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot complete " + path + ": " + e.getMessage(), e);
    }
    finished.add(path.getName());
    rows += currentRows;
    current = null;
    currentFile = null;
    currentRows = 0;
  }

  /** Abandons the open file, if any, and deletes it. */
  @Override
  public void abandonCurrent() {
    if (current == null) {
      return;
    }
    String uri = currentFile.getPath();
    try {
      currentFile.abort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + uri + ": " + e.getMessage(), e);
    } finally {
      current = null;
      currentFile = null;
      currentRows = 0;
      files.delete(uri);
    }
  }

  @Override
  public List<String> finished() {
    return List.copyOf(finished);
  }

  @Override
  public long rows() {
    return rows;
  }

  @Override
  public long bytes() {
    return bytes;
  }

  private void open() throws IOException {
    Path path = new Path(stagingUri, PartFiles.name(runKey, finished.size()));
    currentFile = new AbortableOutputFile(HadoopOutputFile.fromPath(path, files.conf()));
    current =
        new Builder(currentFile, support)
            .withConf(files.conf())
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCompressionCodec(options.codec())
            // One row group per file where the target allows: readers prune by row group.
            .withRowGroupSize(Math.min(options.targetFileBytes(), ParquetWriter.DEFAULT_BLOCK_SIZE))
            // Measured (notes/performance-baselines.md): checksums and size statistics cost
            // encoding time and no reader of staged tables needs them.
            .withPageWriteChecksumEnabled(false)
            .withSizeStatisticsEnabled(false)
            .build();
  }

  /** The builder API over an {@code OutputFile}, as parquet-java intends for custom models. */
  private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
    private final WriteSupport<Object[]> support;

    Builder(AbortableOutputFile file, WriteSupport<Object[]> support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
      return support;
    }
  }
}
