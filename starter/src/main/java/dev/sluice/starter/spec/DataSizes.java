package dev.sluice.starter.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as pipeline files write them: a whole number and a unit {@code B}, {@code KB}, {@code MB}
 * or {@code GB}, binary multiples ({@code 1KB} = 1024 bytes). The form is the schema's ({@code
 * $defs/size}); this adds the value, so a size too large for the workers' {@code long} is reported
 * at validation rather than when a run first uploads.
 */
final class DataSizes {
  // Same as $defs/size in pipeline.schema.json.
  private static final Pattern SIZE = Pattern.compile("([1-9][0-9]*)(B|KB|MB|GB)");

  private DataSizes() {}

  /**
   * The number of bytes {@code text} denotes.
   *
   * @throws IllegalArgumentException when {@code text} is not a size, or too large
   */
  static long parse(String text) {
    Matcher size = SIZE.matcher(text);
    if (!size.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size (use a whole number and B, KB, MB or GB, e.g. 128MB)");
    }
    int shift =
        switch (size.group(2)) {
          case "KB" -> 10;
          case "MB" -> 20;
          case "GB" -> 30;
          default -> 0;
        };
    try {
      return Math.multiplyExact(Long.parseLong(size.group(1)), 1L << shift);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("'" + text + "' is too large a size", e);
    }
  }

  /** Whether {@code text} has the form of a size (it may still be too large to parse). */
  static boolean looksLikeSize(String text) {
    return SIZE.matcher(text).matches();
  }
}
