package dev.sluice.workflows.activities;

import dev.sluice.pipeline.PlatformBatchSink;
import java.util.List;

/**
 * Records in and out of {@link PlatformBatchActivities}: IDs, URIs, counts; never data or secrets.
 */
public final class PlatformMessages {
  private PlatformMessages() {}

  /**
   * @param sink the target dataset and connection (secret references only)
   * @param replaces batch IDs this batch supersedes (the platform's {@code replay} block with
   *     {@code reason: replace}); empty for a normal batch
   * @param tag unique to the egress run and the same for every attempt of its create: sent as the
   *     batch's {@code tags.sluiceEgress}, so an attempt retried after a lost answer finds the
   *     batch the earlier attempt created instead of creating a second one; null in requests
   *     recorded before it existed
   */
  public record CreateBatchRequest(PlatformBatchSink sink, List<String> replaces, String tag) {

    /** As recorded before the tag existed. */
    public CreateBatchRequest(PlatformBatchSink sink, List<String> replaces) {
      this(sink, replaces, null);
    }
  }

  /**
   * @param batchId the platform's batch ID
   */
  public record CreateBatchResult(String batchId) {}

  /**
   * @param sink the target
   * @param batchId the batch the file goes into
   * @param fileUri the Parquet file to upload (a Hadoop FileSystem URI)
   * @param name its name in the batch
   */
  public record UploadRequest(
      PlatformBatchSink sink, String batchId, String fileUri, String name) {}

  /**
   * @param name the file's name in the batch
   * @param bytes bytes uploaded
   * @param large whether the large-file protocol was used
   */
  public record UploadResult(String name, long bytes, boolean large) {}

  public record BatchRequest(PlatformBatchSink sink, String batchId) {}

  /**
   * @param httpStatus the platform's answer
   */
  public record BatchCallResult(int httpStatus) {}

  /** A platform error, verbatim. */
  public record PlatformError(String code, String description) {}

  /**
   * @param status the platform's status ({@code loading}, {@code processing}, {@code success},
   *     {@code failure}, {@code failed}, {@code aborted}...)
   * @param outcome its classification
   * @param errors the batch's errors, verbatim
   */
  public record BatchStatusResult(
      String status, Messages.Outcome outcome, List<PlatformError> errors) {}

  /**
   * @param sink the target (to ask the Catalog about recorded batches)
   * @param recordUri where the window's sent batch is recorded (a Hadoop FileSystem URI)
   */
  public record SentBatchesRequest(PlatformBatchSink sink, String recordUri) {}

  /**
   * @param batchIds recorded batches still successful on the platform (oldest first)
   */
  public record SentBatchesResult(List<String> batchIds) {}

  /**
   * @param recordUri where to record it
   * @param datasetId the dataset the batch went to
   * @param batchId the successful batch
   * @param files the file names it holds
   */
  public record RecordSentBatchRequest(
      String recordUri, String datasetId, String batchId, List<String> files) {}
}
