package dev.sluice.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Activities over a data platform's batch ingestion API (Adobe Experience Platform's Data Ingestion
 * and Catalog APIs): create a batch, upload Parquet files into it, complete it, read its status,
 * abort it. Every call authenticates with IMS and sends {@code Authorization}, {@code x-api-key},
 * {@code x-gw-ims-org-id} and {@code x-sandbox-name}.
 *
 * <p>Failures are typed by {@link FailureType}: 4xx other than 408/429 non-retryable, 5xx, 408,
 * 429 and I/O retryable with {@code Retry-After} as the next delay.
 */
@ActivityInterface
public interface PlatformBatchActivities {

  /**
   * Creates a batch for the dataset ({@code POST /import/batches}, input format parquet, with the
   * {@code replay} block when replacing earlier batches).
   */
  @ActivityMethod
  PlatformMessages.CreateBatchResult createBatch(PlatformMessages.CreateBatchRequest request);

  /**
   * Uploads one staged Parquet file into the batch under its own name: a single {@code PUT}, or
   * above the sink's threshold the large-file protocol ({@code ?action=INITIALIZE}, {@code PATCH}
   * chunks with {@code Content-Range}, {@code ?action=COMPLETE}), heartbeating the byte offset and
   * resuming from it on retry. Idempotent: the same name in the same batch is overwritten, never
   * added twice.
   */
  @ActivityMethod
  PlatformMessages.UploadResult uploadFile(PlatformMessages.UploadRequest request);

  /** Marks the batch complete ({@code POST /import/batches/{id}?action=COMPLETE}). */
  @ActivityMethod
  PlatformMessages.BatchCallResult completeBatch(PlatformMessages.BatchRequest request);

  /**
   * Reads the batch's status from the Catalog ({@code GET /catalog/batches/{id}}) and classifies
   * it; the platform's error codes and descriptions are returned verbatim.
   */
  @ActivityMethod
  PlatformMessages.BatchStatusResult batchStatus(PlatformMessages.BatchRequest request);

  /** Aborts the batch ({@code ?action=ABORT}); a batch already final is not an error. */
  @ActivityMethod
  PlatformMessages.BatchCallResult abortBatch(PlatformMessages.BatchRequest request);

  /**
   * The batches recorded at {@code recordUri} (a window sent before) that the Catalog still reports
   * as successful: the predecessors a new batch of the same window replaces. Empty when there is no
   * record, or its batches are gone (deleted on the platform) or never succeeded.
   */
  @ActivityMethod
  PlatformMessages.SentBatchesResult sentBatches(PlatformMessages.SentBatchesRequest request);

  /**
   * Records that the window was sent as {@code batchId} (overwriting an earlier record), once the
   * platform reported the batch successful. Idempotent.
   */
  @ActivityMethod
  PlatformMessages.SentBatchesResult recordSentBatch(
      PlatformMessages.RecordSentBatchRequest request);
}
