package dev.sluice.workflows.batchegress;

import java.util.List;

/**
 * What a successful egress sent.
 *
 * @param batchId the platform's batch ID
 * @param files the file names in the batch, in input order
 * @param bytes bytes uploaded
 * @param status the platform's final status (e.g. {@code success})
 * @param timings milliseconds spent in each stage
 * @param replaced batches the new one superseded (the platform's replay block)
 * @param recordWarning why the window's record could not be written, or null
 */
public record BatchEgressResult(
    String batchId,
    List<String> files,
    long bytes,
    String status,
    Timings timings,
    List<String> replaced,
    String recordWarning) {

  public BatchEgressResult {
    replaced = replaced == null ? List.of() : List.copyOf(replaced);
  }

  /**
   * @param createMillis creating the batch
   * @param uploadMillis uploading every file
   * @param completeMillis marking the batch complete
   * @param processingMillis from complete until the platform reported the final status
   * @param polls status checks made
   */
  public record Timings(
      long createMillis,
      long uploadMillis,
      long completeMillis,
      long processingMillis,
      int polls) {}
}
