package dev.sluice.sandbox.platform;

import java.util.List;

/**
 * What the platform emulation has served since start or the last reset.
 *
 * @param batchesCreated IDs of the batches created through {@code POST /import/batches}, in order
 * @param uploads whole-file uploads plus completed large files (retries included)
 * @param completes {@code ?action=COMPLETE} requests on batches (retries included)
 * @param aborts {@code ?action=ABORT} requests
 * @param statusPolls {@code GET /catalog/batches/{id}} requests
 * @param tokenGrants tokens issued by either IMS endpoint
 * @param rejectedCalls data calls the gateway refused (401/403)
 * @param batches every batch, seeded ones included, oldest first
 */
public record PlatformStats(
    List<String> batchesCreated,
    long uploads,
    long completes,
    long aborts,
    long statusPolls,
    long tokenGrants,
    long rejectedCalls,
    List<BatchSummary> batches) {

  /**
   * One batch.
   *
   * @param files its files by name (the last upload of each name), sorted by name
   * @param errors the descriptions of its errors
   * @param replacedBy the replay batch that superseded it, or null
   */
  public record BatchSummary(
      String id,
      String datasetId,
      String status,
      long created,
      long updated,
      List<FileSummary> files,
      List<String> errors,
      List<String> replayPredecessors,
      String replacedBy) {}

  /**
   * @param uploads how many times the name was uploaded to the batch; more than one means it was
   *     overwritten (still one file)
   */
  public record FileSummary(String name, long sizeInBytes, int uploads) {}

  /** The summary of a batch by ID. */
  public BatchSummary batch(String id) {
    return batches.stream()
        .filter(b -> b.id().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no batch " + id));
  }
}
