package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonTypeName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A dataset on a data platform, written one batch per run: the run's rows are written as Parquet
 * into a table of their own ({@code path}, which keeps what was sent), then the run's files are
 * sent as one batch (create, upload every file, complete) and the run waits until the platform
 * accepts or rejects it. The table and the watermark are only published once the platform reports
 * the batch successful; a run of a window sent before carries the platform's {@code replay} block
 * so its new batch supersedes the earlier one.
 *
 * @param path directory of the Parquet table the run writes before sending (as {@link
 *     ParquetSink#path()})
 * @param compression as {@link ParquetSink#compression()}
 * @param targetFileSize as {@link ParquetSink#targetFileSize()}
 * @param columns as {@link ParquetSink#columns()}
 * @param inferRows as {@link ParquetSink#inferRows()}
 * @param connection how to reach the platform
 * @param datasetId the target dataset
 * @param maxParallelUploads files uploaded at once (default 4)
 * @param largeFileThreshold files above this size use the large-file protocol (default 256MB)
 * @param chunkSize chunk size of the large-file protocol (default 64MB)
 * @param pollInterval first wait between batch status checks (default 10s)
 * @param maxPollInterval ceiling of that wait (default 2m)
 * @param timeout how long the platform may take to accept the batch (default 2h)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
// Inputs recorded before this sink was a pipeline sink hold it without a type: read as itself.
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type", defaultImpl = PlatformBatchSink.class)
@JsonTypeName("platform-batch")
public record PlatformBatchSink(
    String path,
    String compression,
    String targetFileSize,
    List<ColumnSpec> columns,
    Integer inferRows,
    PlatformConnectionSpec connection,
    String datasetId,
    Integer maxParallelUploads,
    String largeFileThreshold,
    String chunkSize,
    Duration pollInterval,
    Duration maxPollInterval,
    Duration timeout)
    implements SinkSpec {

  public PlatformBatchSink {
    columns = columns == null ? List.of() : List.copyOf(columns);
    maxParallelUploads = maxParallelUploads == null ? 4 : maxParallelUploads;
    largeFileThreshold = largeFileThreshold == null ? "256MB" : largeFileThreshold;
    chunkSize = chunkSize == null ? "64MB" : chunkSize;
    pollInterval = pollInterval == null ? Duration.ofSeconds(10) : pollInterval;
    maxPollInterval = maxPollInterval == null ? Duration.ofMinutes(2) : maxPollInterval;
    timeout = timeout == null ? Duration.ofHours(2) : timeout;
  }

  /**
   * The Parquet table of what was sent: append mode (one set of files per window, overwritten when
   * the window runs again).
   */
  @Override
  @JsonIgnore
  public ParquetSink lakeTable() {
    return new ParquetSink(path, "append", compression, targetFileSize, columns, inferRows);
  }

  /** Itself: a platform sink forwards each run's committed files as one batch. */
  @Override
  @JsonIgnore
  public Optional<PlatformBatchSink> destination() {
    return Optional.of(this);
  }

  /** The same sink with its table at another path (used to resolve relative paths). */
  @Override
  public PlatformBatchSink withPath(String newPath) {
    return new PlatformBatchSink(
        newPath,
        compression,
        targetFileSize,
        columns,
        inferRows,
        connection,
        datasetId,
        maxParallelUploads,
        largeFileThreshold,
        chunkSize,
        pollInterval,
        maxPollInterval,
        timeout);
  }
}
