package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Parquet files written through Hadoop's {@code FileSystem} API.
 *
 * @param path table directory URI ({@code file:///…}, {@code hdfs://…}, {@code s3a://…}); a
 *     relative path is resolved against the pipeline file's directory
 * @param mode {@code append} (default) or {@code snapshot} (replace the table atomically)
 * @param compression {@code snappy} (default), {@code zstd}, {@code gzip} or {@code none}
 * @param targetFileSize roll to a new file past this size (default {@code 128MB})
 * @param columns declared columns; columns not declared are inferred from the data
 * @param inferRows how many leading rows type inference looks at (default 1000)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParquetSink(
    String path,
    String mode,
    String compression,
    String targetFileSize,
    List<ColumnSpec> columns,
    Integer inferRows)
    implements SinkSpec, LakeTable {
  public ParquetSink {
    mode = mode == null ? "append" : mode;
    compression = compression == null ? "snappy" : compression;
    targetFileSize = targetFileSize == null ? "128MB" : targetFileSize;
    columns = columns == null ? List.of() : List.copyOf(columns);
    inferRows = inferRows == null ? 1000 : inferRows;
  }

  @Override
  @com.fasterxml.jackson.annotation.JsonIgnore
  public ParquetSink lakeTable() {
    return this;
  }

  /** {@code <path>/_sluice/staging/<runKey>}: beside the table, moved in by the publish. */
  @Override
  public String stagingDir(String runKey) {
    String table = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return table + "/_sluice/staging/" + runKey;
  }

  @Override
  public ParquetSink withMode(String newMode) {
    return new ParquetSink(path, newMode, compression, targetFileSize, columns, inferRows);
  }

  /** {@inheritDoc} The unit's partition is a table of its own. */
  @Override
  public ParquetSink forUnit(String column, String value, String partitionPath) {
    return withPath(partitionPath);
  }

  /** The same sink at another path (used to resolve relative paths). */
  @Override
  public ParquetSink withPath(String newPath) {
    return new ParquetSink(newPath, mode, compression, targetFileSize, columns, inferRows);
  }
}
