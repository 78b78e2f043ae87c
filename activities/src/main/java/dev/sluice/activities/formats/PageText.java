package dev.sluice.activities.formats;

import dev.sluice.pipeline.DataSize;
import dev.sluice.pipeline.FormatSpec;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;

/**
 * How every format reads the text of a page: the charset its bytes are decoded with (strictly),
 * and the longest value it holds in memory.
 *
 * @param charset the page's charset ({@code format.charset})
 * @param maxFieldChars the longest value, in characters ({@code format.maxFieldSize})
 * @param maxFieldSize the limit as the pipeline wrote it, for messages (e.g. {@code 32MB})
 */
public record PageText(Charset charset, int maxFieldChars, String maxFieldSize) {
  /** The largest char array a JVM reliably allocates. */
  static final long MAX_ARRAY_CHARS = Integer.MAX_VALUE - 8;

  /** UTF-8, values up to {@link FormatSpec#DEFAULT_MAX_FIELD_SIZE}. */
  public static final PageText DEFAULTS = of(FormatSpec.CSV);

  /**
   * Validates the limit.
   *
   * @throws IllegalArgumentException when {@code maxFieldChars} is below 1
   */
  public PageText {
    if (maxFieldChars < 1) {
      throw new IllegalArgumentException("format.maxFieldSize must be positive");
    }
  }

  /**
   * The charset and limit a format names.
   *
   * @throws IllegalArgumentException when the charset is unknown to the JVM, or the size does not
   *     parse or exceeds what one Java array holds
   */
  public static PageText of(FormatSpec format) {
    Charset charset;
    try {
      charset = Charset.forName(format.charset());
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new IllegalArgumentException(
          "format.charset '" + format.charset() + "' is not a charset this worker knows", e);
    }
    long chars = DataSize.parseBytes(format.maxFieldSize());
    if (chars > MAX_ARRAY_CHARS) {
      throw new IllegalArgumentException(
          "format.maxFieldSize " + format.maxFieldSize() + " is more than one value can hold");
    }
    return new PageText(charset, (int) chars, format.maxFieldSize());
  }

  /** The message of a value over the limit, after what names it ("record 3, column 'x'"). */
  String tooLong(String where) {
    return where
        + ": the value is longer than format.maxFieldSize ("
        + maxFieldSize
        + ", "
        + maxFieldChars
        + " characters)";
  }
}
