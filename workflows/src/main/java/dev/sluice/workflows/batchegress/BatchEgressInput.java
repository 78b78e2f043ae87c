package dev.sluice.workflows.batchegress;

import dev.sluice.pipeline.PlatformBatchSink;
import java.util.List;

/**
 * Input of {@link BatchEgressWorkflow}.
 *
 * @param sink the target dataset and connection (secret references only)
 * @param fileUris the Parquet files to send (staged or published, Hadoop FileSystem URIs); each is
 *     uploaded under its last path segment, which must be unique within the batch
 * @param replaces batch IDs this batch supersedes (the platform's {@code replay} block); empty or
 *     null for a normal batch
 * @param label what the batch is for (typically the ingest run's workflow ID); appears in activity
 *     summaries and in {@link BatchEgressWorkflow#workflowId}
 * @param resumed state carried over a continue-as-new while polling; null on a fresh run
 * @param recordUri where the window's sent batch is recorded ({@code RunKeys.sentBatch}): read
 *     before the batch is created (its still-successful batches join {@code replaces}) and written
 *     once the new batch succeeded; null to keep no record
 */
public record BatchEgressInput(
    PlatformBatchSink sink,
    List<String> fileUris,
    List<String> replaces,
    String label,
    EgressState resumed,
    String recordUri) {

  public BatchEgressInput {
    fileUris = fileUris == null ? List.of() : List.copyOf(fileUris);
    replaces = replaces == null ? List.of() : List.copyOf(replaces);
  }

  /** As recorded before {@code recordUri} existed. */
  public BatchEgressInput(
      PlatformBatchSink sink,
      List<String> fileUris,
      List<String> replaces,
      String label,
      EgressState resumed) {
    this(sink, fileUris, replaces, label, resumed, null);
  }

  /** A fresh run. */
  public BatchEgressInput(
      PlatformBatchSink sink, List<String> fileUris, List<String> replaces, String label) {
    this(sink, fileUris, replaces, label, null, null);
  }

  /** A fresh run that reads and keeps the window's record at {@code recordUri}. */
  public static BatchEgressInput recorded(
      PlatformBatchSink sink, List<String> fileUris, String label, String recordUri) {
    return new BatchEgressInput(sink, fileUris, List.of(), label, null, recordUri);
  }

  /** This input, resuming from {@code state}. */
  BatchEgressInput resumingFrom(EgressState state) {
    return new BatchEgressInput(sink, fileUris, replaces, label, state, recordUri);
  }

  /** This input, superseding {@code batchIds} too. */
  BatchEgressInput replacing(List<String> batchIds) {
    List<String> all = new java.util.ArrayList<>(replaces);
    batchIds.stream().filter(b -> !all.contains(b)).forEach(all::add);
    return new BatchEgressInput(sink, fileUris, all, label, resumed, recordUri);
  }
}
