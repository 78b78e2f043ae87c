package dev.sluice.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Duration;

/**
 * Automatic splitting of an {@code async-http} window: when the provider's job fails with an error
 * matching {@code when}, or its ready result is larger than {@code maxRows} or {@code maxBytes}
 * (read from the final status answer), the run halves its range and runs each half as a provider
 * job of its own, down to {@code minWindow}; every half lands in the one commit of the window.
 *
 * @param when regular expression over the failure's message (the provider's error message and
 *     state), found anywhere in it; optional
 * @param maxRows split a ready result with more rows than this, read at {@code rowsPointer};
 *     optional
 * @param maxBytes split a ready result larger than this size (such as {@code 512MB}), read at
 *     {@code bytesPointer}; optional
 * @param rowsPointer JSON pointer of the result's row count in the final status answer; a missing
 *     value never splits
 * @param bytesPointer JSON pointer of the result's size in bytes in the final status answer; a
 *     missing value never splits
 * @param minWindow the shortest range a split makes (default 1d); a range this short that still
 *     needs splitting fails the run
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SplitSpec(
    String when,
    Long maxRows,
    String maxBytes,
    String rowsPointer,
    String bytesPointer,
    Duration minWindow) {

  /** The shortest range of a split that leaves {@code minWindow} out: one day. */
  public static final Duration DEFAULT_MIN_WINDOW = Duration.ofDays(1);

  public SplitSpec {
    minWindow = minWindow == null ? DEFAULT_MIN_WINDOW : minWindow;
  }

  /** {@code maxBytes} in bytes, or null when not set. */
  public Long maxBytesValue() {
    return maxBytes == null ? null : DataSize.parseBytes(maxBytes);
  }
}
