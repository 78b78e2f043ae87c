package dev.sluice.workflows.activities;

import dev.sluice.pipeline.LakeTable;
import dev.sluice.pipeline.PlatformBatchesSource;
import java.util.List;

/** Records in and out of {@link PlatformSourceActivities}: IDs, times, counts; never rows. */
public final class PlatformSourceMessages {
  private PlatformSourceMessages() {}

  /**
   * @param source the source dataset and connection (secret references only)
   */
  public record LastBatchRequest(PlatformBatchesSource source) {}

  /**
   * @param batchId the latest batch's ID, or null when the dataset has none
   * @param created its creation time (epoch milliseconds)
   * @param status the platform's status ({@code loading}, {@code processing}, {@code success},
   *     {@code failure}…)
   * @param outcome {@code PENDING} while not final, {@code READY} for success, {@code FAILED}
   *     otherwise
   * @param errors its errors, verbatim
   */
  public record LastBatchResult(
      String batchId,
      long created,
      String status,
      Messages.Outcome outcome,
      List<PlatformMessages.PlatformError> errors) {}

  /**
   * @param source the source dataset and connection
   * @param createdAfter epoch milliseconds: batches created at or after this instant are candidates
   * @param afterBatchId the last batch already read, created at {@code createdAfter}: it and any
   *     batch created at that instant with an ID not greater are left out; null reads from {@code
   *     createdAfter} inclusive
   * @param createdBefore epoch milliseconds: only batches created before this instant (exclusive)
   * @param limit at most this many batches
   */
  public record ListBatchesRequest(
      PlatformBatchesSource source,
      long createdAfter,
      String afterBatchId,
      long createdBefore,
      int limit) {}

  /**
   * @param batchId the platform's batch ID
   * @param created creation time (epoch milliseconds)
   * @param status the platform's status
   * @param outcome its classification, as in {@link LastBatchResult}
   */
  public record SourceBatch(
      String batchId, long created, String status, Messages.Outcome outcome) {}

  /**
   * @param batches in created order, oldest first
   * @param more whether more batches matched than {@code limit}
   */
  public record ListBatchesResult(List<SourceBatch> batches, boolean more) {}

  /**
   * @param runKey file-system-safe key of the run
   * @param source the source dataset and connection
   * @param batchId the source batch to read
   * @param sink the Parquet table (declared columns, compression, file size)
   * @param stagingUri the run's staging directory
   */
  public record ExtractBatchRequest(
      String runKey,
      PlatformBatchesSource source,
      String batchId,
      LakeTable sink,
      String stagingUri) {}

  /**
   * @param batchId the source batch read
   * @param rows rows written
   * @param bytes bytes of Parquet written
   * @param files staged file names (not paths)
   * @param sourceFiles dataset files read
   */
  public record ExtractBatchResult(
      String batchId, long rows, long bytes, List<String> files, int sourceFiles) {}
}
