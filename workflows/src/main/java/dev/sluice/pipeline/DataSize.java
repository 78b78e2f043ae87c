package dev.sluice.pipeline;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as pipeline files write them ({@code targetFileSize}, {@code maxFieldSize}, {@code
 * chunkSize}…): a whole positive number and a unit {@code B}, {@code KB}, {@code MB} or {@code
 * GB}, binary multiples ({@code 1KB} = 1024 bytes). The one grammar of sizes: the validator and the
 * workers parse with it, and the schema's {@code $defs/size} pattern is {@link #PATTERN}.
 */
public final class DataSize {
  /** The form of a size; the same as {@code $defs/size} in {@code pipeline.schema.json}. */
  public static final String PATTERN = "^[1-9][0-9]*(B|KB|MB|GB)$";

  private static final Pattern SIZE = Pattern.compile("([1-9][0-9]*)(B|KB|MB|GB)");

  private DataSize() {}

  /**
   * The number of bytes {@code text} denotes.
   *
   * @throws IllegalArgumentException when {@code text} is not a size, or too large for a {@code
   *     long}
   */
  public static long parseBytes(String text) {
    Matcher size = SIZE.matcher(text == null ? "" : text);
    if (!size.matches()) {
      throw new IllegalArgumentException(
          "invalid size '"
              + text
              + "': expected a whole number and B, KB, MB or GB, such as 128MB");
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
  public static boolean looksLikeSize(String text) {
    return text != null && SIZE.matcher(text).matches();
  }
}
