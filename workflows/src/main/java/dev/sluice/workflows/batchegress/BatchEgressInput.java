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

  /**
   * A builder of a fresh run sending {@code fileUris} to {@code sink} for {@code label}. Every other
   * component starts at the default JSON recorded before it existed also reads as: superseding no
   * batch, not resumed, keeping no record of the sent batch.
   */
  public static Builder newBuilder(PlatformBatchSink sink, List<String> fileUris, String label) {
    return new Builder(sink, fileUris, label);
  }

  /** A fresh run, superseding no batch and keeping no record. */
  public static BatchEgressInput of(PlatformBatchSink sink, List<String> fileUris, String label) {
    return newBuilder(sink, fileUris, label).build();
  }

  /** A builder starting from this input. */
  public Builder toBuilder() {
    return new Builder(sink, fileUris, label)
        .setReplaces(replaces)
        .setResumed(resumed)
        .setRecordUri(recordUri);
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

  /** Builds a {@link BatchEgressInput}; see the record's components for what each means. */
  public static final class Builder {
    private final PlatformBatchSink sink;
    private final List<String> fileUris;
    private final String label;
    private List<String> replaces = List.of();
    private EgressState resumed;
    private String recordUri;

    private Builder(PlatformBatchSink sink, List<String> fileUris, String label) {
      this.sink = sink;
      this.fileUris = fileUris;
      this.label = label;
    }

    /** Batch IDs the batch supersedes; default none. */
    public Builder setReplaces(List<String> value) {
      replaces = value;
      return this;
    }

    /** State carried over a continue-as-new; default null: a fresh run. */
    public Builder setResumed(EgressState value) {
      resumed = value;
      return this;
    }

    /** Where the window's sent batch is recorded; default null: no record. */
    public Builder setRecordUri(String value) {
      recordUri = value;
      return this;
    }

    /** The input. */
    public BatchEgressInput build() {
      return new BatchEgressInput(sink, fileUris, replaces, label, resumed, recordUri);
    }
  }
}
