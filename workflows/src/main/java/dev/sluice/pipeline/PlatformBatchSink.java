package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;

/**
 * A dataset on a data platform, written one batch per run: create the batch, upload every Parquet
 * file, complete it, and wait until the platform accepts or rejects it. (Not yet selectable as a
 * pipeline {@code sink}; the batch egress workflow takes it directly.)
 *
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
public record PlatformBatchSink(
    PlatformConnectionSpec connection,
    String datasetId,
    Integer maxParallelUploads,
    String largeFileThreshold,
    String chunkSize,
    Duration pollInterval,
    Duration maxPollInterval,
    Duration timeout) {
  public PlatformBatchSink {
    maxParallelUploads = maxParallelUploads == null ? 4 : maxParallelUploads;
    largeFileThreshold = largeFileThreshold == null ? "256MB" : largeFileThreshold;
    chunkSize = chunkSize == null ? "64MB" : chunkSize;
    pollInterval = pollInterval == null ? Duration.ofSeconds(10) : pollInterval;
    maxPollInterval = maxPollInterval == null ? Duration.ofMinutes(2) : maxPollInterval;
    timeout = timeout == null ? Duration.ofHours(2) : timeout;
  }
}
