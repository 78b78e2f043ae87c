package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;

/**
 * A dataset on a data platform read batch by batch through its Catalog and Data Access APIs (the
 * guide's execution phase): the dataset's batches created in the run's window, in created order,
 * each batch's files, each file's content.
 *
 * @param connection how to reach the platform (secret references only)
 * @param datasetId the source dataset
 * @param read {@code incremental} (default): every successful batch created since the stored
 *     watermark (the last batch read, by created time and ID), up to the run's logical date; {@code
 *     snapshot}: only the latest successful batch of the window, which replaces the table
 * @param processing {@code ordered} (default): one batch at a time in created order, a failure
 *     stops the line; {@code parallel}: up to {@code maxParallel} batches at once
 * @param maxParallel batches read at once when {@code parallel} (default 4)
 * @param maxBatchesPerRun batches one run reads at most (default 500); the rest wait for the next
 *     run, which starts where this one ended
 * @param pageSize page size asked of every listing (default 100, the Catalog's maximum)
 * @param settleTimeout how long a run waits for the dataset's latest batch to become final before
 *     reading (default 30m): the guide's "ensure the last batch was successfully completed"
 * @param settleInterval wait between those checks (default 30s)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PlatformBatchesSource(
    PlatformConnectionSpec connection,
    String datasetId,
    String read,
    String processing,
    Integer maxParallel,
    Integer maxBatchesPerRun,
    Integer pageSize,
    Duration settleTimeout,
    Duration settleInterval)
    implements SourceSpec {

  public static final String INCREMENTAL = "incremental";
  public static final String SNAPSHOT = "snapshot";
  public static final String ORDERED = "ordered";
  public static final String PARALLEL = "parallel";

  public PlatformBatchesSource {
    read = read == null ? INCREMENTAL : read;
    processing = processing == null ? ORDERED : processing;
    maxParallel = maxParallel == null ? 4 : maxParallel;
    maxBatchesPerRun = maxBatchesPerRun == null ? 500 : maxBatchesPerRun;
    pageSize = pageSize == null ? 100 : pageSize;
    settleTimeout = settleTimeout == null ? Duration.ofMinutes(30) : settleTimeout;
    settleInterval = settleInterval == null ? Duration.ofSeconds(30) : settleInterval;
  }

  public boolean snapshot() {
    return SNAPSHOT.equals(read);
  }

  public boolean parallel() {
    return PARALLEL.equals(processing);
  }
}
