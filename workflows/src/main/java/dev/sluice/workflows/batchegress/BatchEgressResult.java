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
 */
public record BatchEgressResult(
    String batchId, List<String> files, long bytes, String status, Timings timings) {

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
