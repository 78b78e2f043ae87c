package dev.sluice.activities.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * What a run remembers of its submit, kept at the run's receipt URI as JSON, created once ({@code
 * HadoopFiles.createIfAbsent}): either the job the provider accepted, or, when the run gave up on
 * its submit before any attempt's answer was recorded, a closed receipt saying so. Whoever creates
 * it first wins; see {@code docs/concepts/non-idempotent-requests.md}.
 *
 * @param requestId the provider's request ID; null in a closed receipt
 * @param submittedAt when the provider accepted the submit (ISO-8601); null in a closed receipt
 * @param values the submit answer's {@code ${submit:/ptr}} values by pointer, or null
 * @param abandonedBy the run (workflow ID and run ID) that gave up on the submit and closed the
 *     receipt; null in a job's receipt, and then not written, so a job's receipt reads as before
 * @param abandonedAt when the receipt was closed (ISO-8601); null in a job's receipt
 */
public record SubmitReceipt(
    String requestId,
    String submittedAt,
    Map<String, String> values,
    @JsonInclude(JsonInclude.Include.NON_NULL) String abandonedBy,
    @JsonInclude(JsonInclude.Include.NON_NULL) String abandonedAt) {

  /** The receipt of a job the provider accepted. */
  public SubmitReceipt(String requestId, String submittedAt, Map<String, String> values) {
    this(requestId, submittedAt, values, null, null);
  }

  public SubmitReceipt(String requestId, String submittedAt) {
    this(requestId, submittedAt, null);
  }

  /** A closed receipt: {@code run} gave up on the submit at {@code at}, before any answer. */
  public static SubmitReceipt abandoned(String run, String at) {
    return new SubmitReceipt(null, null, null, run, at);
  }

  /** Whether this is a closed receipt: no attempt may submit, or keep a job it submitted. */
  boolean closed() {
    return abandonedBy != null;
  }
}
