package dev.sluice.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Activities that read a data platform's dataset batch by batch (Adobe Experience Platform's
 * Catalog and Data Access APIs, the guide's execution phase). Every call authenticates with IMS and
 * sends {@code Authorization}, {@code x-api-key}, {@code x-gw-ims-org-id} and {@code
 * x-sandbox-name}; every listing is read to its last page ({@code start}/{@code limit} on the
 * Catalog, {@code _page} and {@code _links.next} on Data Access).
 *
 * <p>Failures are typed by {@link FailureType}, as for {@link PlatformBatchActivities}.
 */
@ActivityInterface
public interface PlatformSourceActivities {

  /**
   * The dataset's most recently created batch and its status ({@code GET
   * /catalog/batches?dataSet=…&limit=1&sort=desc:created}), the check the guide prescribes before a
   * run; {@code batchId} null when the dataset has no batch.
   */
  @ActivityMethod
  PlatformSourceMessages.LastBatchResult lastBatch(PlatformSourceMessages.LastBatchRequest request);

  /**
   * The dataset's batches created after the watermark and up to the window's end, in created order
   * (oldest first, ties by ID), every status included so the workflow can stop before a batch that
   * is not final yet; at most {@code request.limit()}.
   */
  @ActivityMethod
  PlatformSourceMessages.ListBatchesResult listBatches(
      PlatformSourceMessages.ListBatchesRequest request);

  /**
   * Reads every file of one source batch (its dataset files, each file's parts, each part's
   * content; Parquet, or CSV with a header) and writes the rows as Parquet into the run's staging
   * directory, under names derived from the source batch ID, so reading the batch again overwrites
   * instead of duplicating. A retried attempt starts the batch over.
   *
   * @throws io.temporal.failure.ApplicationFailure {@code MALFORMED_DATA} (non-retryable) when a
   *     file cannot be read, naming batch and file
   */
  @ActivityMethod
  PlatformSourceMessages.ExtractBatchResult extractBatch(
      PlatformSourceMessages.ExtractBatchRequest request);
}
