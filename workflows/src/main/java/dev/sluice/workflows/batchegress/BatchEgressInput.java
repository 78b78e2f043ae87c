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
 */
public record BatchEgressInput(
    PlatformBatchSink sink,
    List<String> fileUris,
    List<String> replaces,
    String label,
    EgressState resumed) {

  public BatchEgressInput {
    fileUris = fileUris == null ? List.of() : List.copyOf(fileUris);
    replaces = replaces == null ? List.of() : List.copyOf(replaces);
  }

  /** A fresh run. */
  public BatchEgressInput(
      PlatformBatchSink sink, List<String> fileUris, List<String> replaces, String label) {
    this(sink, fileUris, replaces, label, null);
  }

  /** This input, resuming from {@code state}. */
  BatchEgressInput resumingFrom(EgressState state) {
    return new BatchEgressInput(sink, fileUris, replaces, label, state);
  }
}
