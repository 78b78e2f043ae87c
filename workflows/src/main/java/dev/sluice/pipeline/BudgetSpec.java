package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A daily budget shared by every pipeline and worker that names the same {@code key}: at most
 * {@code maxJobsPerDay} provider jobs, or {@code maxBytesPerDay} of extracted data, per UTC day. A
 * run asks before it submits; bytes are counted after its extract, so a run admitted while the
 * budget had room is never cut off mid-way (the day's total may then end above the limit, and
 * later runs of that day are refused).
 *
 * @param key the name of the shared budget, e.g. {@code marketo-acme}
 * @param maxJobsPerDay jobs per UTC day, or null
 * @param maxBytesPerDay extracted bytes per UTC day as a size ({@code 500MB}), or null
 * @param onExceeded {@code wait} (default) until the next UTC day, or {@code fail}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BudgetSpec(
    @Required String key, Long maxJobsPerDay, String maxBytesPerDay, String onExceeded) {
  /** What a run does when the day's budget is spent. */
  public static final String WAIT = "wait";

  /** See {@link #WAIT}. */
  public static final String FAIL = "fail";

  public BudgetSpec {
    onExceeded = onExceeded == null ? WAIT : onExceeded;
  }

  /** {@link #maxBytesPerDay} in bytes, or 0 when none is set. */
  public long maxBytes() {
    return maxBytesPerDay == null ? 0 : DataSize.parseBytes(maxBytesPerDay);
  }

  /** Whether a spent budget fails the run instead of waiting for the next UTC day. */
  public boolean fails() {
    return FAIL.equals(onExceeded);
  }
}
