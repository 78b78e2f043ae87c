package dev.sluice.workflows.batchegress;

import dev.sluice.pipeline.PlatformBatchSink;
import io.soabase.recordbuilder.core.RecordBuilder;
import java.util.List;

/**
 * Input of {@link BatchEgressWorkflow}. Build one with {@link #newBuilder} (the builder is
 * generated at compile time): JSON recorded before a component existed reads with that component at
 * its default.
 *
 * @param sink the target dataset and connection (secret references only); required
 * @param fileUris the Parquet files to send (staged or published, Hadoop FileSystem URIs); each is
 *     uploaded under its last path segment, which must be unique within the batch; required (null
 *     reads as none)
 * @param replaces batch IDs this batch supersedes (the platform's {@code replay} block); default
 *     null: none, a normal batch
 * @param label what the batch is for (typically the ingest run's workflow ID); appears in activity
 *     summaries and in {@link dev.sluice.workflows.common.WorkflowIds#egress}; required
 * @param resumed state carried over a continue-as-new while polling; default null: a fresh run
 * @param recordUri where the window's sent batch is recorded ({@code RunKeys.sentBatch}): read
 *     before the batch is created (its still-successful batches join {@code replaces}) and written
 *     once the new batch succeeded; default null: keep no record
 */
@RecordBuilder
@RecordBuilder.Options(setterPrefix = "set", enableWither = false)
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

  /**
   * A builder of a fresh run sending {@code fileUris} to {@code sink} for {@code label} (the builder
   * is generated from this record). Every other component starts at the default JSON recorded
   * before it existed also reads as: superseding no batch, not resumed, keeping no record of the
   * sent batch.
   */
  public static BatchEgressInputBuilder newBuilder(
      PlatformBatchSink sink, List<String> fileUris, String label) {
    return BatchEgressInputBuilder.builder().setSink(sink).setFileUris(fileUris).setLabel(label);
  }

  /** A fresh run, superseding no batch and keeping no record. */
  public static BatchEgressInput of(PlatformBatchSink sink, List<String> fileUris, String label) {
    return newBuilder(sink, fileUris, label).build();
  }

  /** A builder starting from this input. */
  public BatchEgressInputBuilder toBuilder() {
    return BatchEgressInputBuilder.builder(this);
  }

  /** This input, resuming from {@code state}. */
  BatchEgressInput resumingFrom(EgressState state) {
    return toBuilder().setResumed(state).build();
  }

  /** This input, superseding {@code batchIds} too. */
  BatchEgressInput replacing(List<String> batchIds) {
    List<String> all = new java.util.ArrayList<>(replaces);
    batchIds.stream().filter(b -> !all.contains(b)).forEach(all::add);
    return toBuilder().setReplaces(all).build();
  }
}
