package dev.sluice.activities.http;

/**
 * What a run remembers of its submit, kept at the run's receipt URI as JSON.
 *
 * @param requestId the provider's request ID
 * @param submittedAt when the provider accepted the submit (ISO-8601)
 * @param values the submit answer's {@code ${submit:/ptr}} values by pointer, or null
 */
public record SubmitReceipt(String requestId, String submittedAt, java.util.Map<String, String> values) {
  public SubmitReceipt(String requestId, String submittedAt) {
    this(requestId, submittedAt, null);
  }
}
