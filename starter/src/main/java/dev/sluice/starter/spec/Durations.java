package dev.sluice.starter.spec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as pipeline files write them: a number and a unit ({@code 250ms}, {@code 5s}, {@code
 * 10m}, {@code 2h}, {@code 1d}) or ISO-8601 ({@code PT5M}, {@code P1DT2H}).
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
  // Same as $defs/duration in pipeline.schema.json: ISO with at least one component.
  private static final Pattern ISO =
      Pattern.compile(
          "P(?=[0-9]|T[0-9])([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+([.][0-9]{1,9})?S)?)?");

  private Durations() {}

  /**
   * Parses a duration.
   *
   * @throws IllegalArgumentException when {@code text} is neither form, or too large
   */
  public static Duration parse(String text) {
    Matcher shortForm = SHORT.matcher(text);
    try {
      if (shortForm.matches()) {
        long amount = Long.parseLong(shortForm.group(1));
        return switch (shortForm.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
      }
      if (ISO.matcher(text).matches()) {
        return Duration.parse(text);
      }
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a duration", e);
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a duration (use 250ms, 5s, 10m, 2h, 1d or ISO-8601 such as PT5M)");
  }

  /**
   * {@code duration} as pipeline files write it, in the largest unit that gives a whole number of
   * at least 2 ({@code 5s}, {@code 60s}, {@code 2m}, {@code 15m}, {@code 2h}): how messages show a
   * record's default.
   */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < sizes.length; i++) {
      if (millis % sizes[i] == 0 && millis / sizes[i] >= 2) {
        return millis / sizes[i] + units[i];
      }
    }
    return millis % 1_000L == 0 ? millis / 1_000L + "s" : millis + "ms";
  }

  /** Whether {@code text} has the form of a duration (it may still be too large to parse). */
  static boolean looksLikeDuration(String text) {
    return SHORT.matcher(text).matches() || ISO.matcher(text).matches();
  }
}
