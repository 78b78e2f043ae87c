package dev.sluice.workflows.common;

import java.time.Duration;

/**
 * Durations in messages as pipeline files write them ({@code 30s}, {@code 10m}, {@code 2h}, {@code
 * 1d}), not as ISO-8601 ({@code PT30S}), so a user finds the value they set.
 */
public final class DurationText {
  private DurationText() {}

  /**
   * The largest unit that states {@code duration} exactly: {@code 90m}, not {@code 1.5h}; {@code
   * 1500ms}, not {@code 1.5s}. Zero is {@code 0s}; a negative duration keeps its sign.
   */
  public static String of(Duration duration) {
    if (duration.isNegative()) {
      return "-" + of(duration.negated());
    }
    long millis = duration.toMillis();
    if (millis == 0) {
      return "0s";
    }
    if (millis % Duration.ofDays(1).toMillis() == 0) {
      return duration.toDays() + "d";
    }
    if (millis % Duration.ofHours(1).toMillis() == 0) {
      return duration.toHours() + "h";
    }
    if (millis % Duration.ofMinutes(1).toMillis() == 0) {
      return duration.toMinutes() + "m";
    }
    if (millis % 1000 == 0) {
      return duration.toSeconds() + "s";
    }
    return millis + "ms";
  }
}
