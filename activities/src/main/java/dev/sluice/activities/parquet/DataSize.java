package dev.sluice.activities.parquet;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as people write them in pipeline files: {@code 128MB}, {@code 64KB}, {@code 1GB}. */
public final class DataSize {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb|tb)?");

  private DataSize() {}

  /**
   * The number of bytes {@code text} denotes: a positive integer with an optional unit {@code B},
   * {@code KB}, {@code MB}, {@code GB} or {@code TB} (case-insensitive, binary multiples: 1KB =
   * 1024 bytes). A plain number is bytes.
   *
   * @throws IllegalArgumentException when the text is not such a size, is zero or overflows
   */
  public static long parseBytes(String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "invalid size '"
              + text
              + "': expected a number with an optional unit B, KB, MB, GB or"
              + " TB, such as 128MB");
    }
    int shift =
        switch (m.group(2) == null ? "b" : m.group(2)) {
          case "kb" -> 10;
          case "mb" -> 20;
          case "gb" -> 30;
          case "tb" -> 40;
          default -> 0;
        };
    try {
      long number = Long.parseLong(m.group(1));
      long bytes = Math.multiplyExact(number, 1L << shift);
      if (bytes == 0) {
        throw new IllegalArgumentException("invalid size '" + text + "': it must be positive");
      }
      return bytes;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("invalid size '" + text + "': too large", e);
    }
  }
}
