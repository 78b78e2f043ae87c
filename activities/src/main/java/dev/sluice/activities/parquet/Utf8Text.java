package dev.sluice.activities.parquet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.parquet.io.api.Binary;

/**
 * A parsed text value kept as its UTF-8 bytes: what the byte CSV tokenizer and the NDJSON scanner
 * (for string values) hand a {@link RecordSink} that {@link RecordSink#takesUtf8Text() takes it},
 * so a string column is written with the page's own bytes (no decode to a {@code String}, no
 * encode back) and typed columns read ASCII digits, booleans, ISO dates and timestamps straight
 * from them ({@link ValueWriter}, {@link TemporalValues}). Measured: the decode and the encode
 * were a fifth of the CSV parser thread (docs/performance.md, section 0).
 *
 * <p>Immutable and never empty (an empty value stays the {@code String} {@code ""}, so the checks
 * for empty text keep working). {@link #toString()} is the text, decoded once and cached, for
 * consumers that need it (messages, the watermark's source text, JSON parsing). {@link #equals}
 * and {@link #hashCode} are those of the text among {@code Utf8Text} values; a {@code Utf8Text}
 * never equals a {@code String}, so consumers that compare values decode first ({@link #decode}).
 * Safe to hand to another thread: the cache is idempotent, like {@code String}'s hash.
 */
public final class Utf8Text {
  private final byte[] bytes;
  private String text;

  private Utf8Text(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * A copy of {@code buf[from, to)}, which the caller has checked to be well-formed UTF-8 (the
   * JDK's strict decoder accepts it): the bytes are written to Parquet as they are.
   *
   * @throws IllegalArgumentException when the range is empty (empty text is the String "")
   */
  public static Utf8Text copyOf(byte[] buf, int from, int to) {
    if (to <= from) {
      throw new IllegalArgumentException("empty text is the String \"\", not Utf8Text");
    }
    return new Utf8Text(Arrays.copyOfRange(buf, from, to));
  }

  /** Replaces every {@code Utf8Text} of {@code row} by its text, in place, for text consumers. */
  static void decode(Object[] row) {
    for (int i = 0; i < row.length; i++) {
      if (row[i] instanceof Utf8Text u) {
        row[i] = u.toString();
      }
    }
  }

  /** The bytes as a Parquet binary, sharing them (neither side changes them). */
  Binary binary() {
    return Binary.fromConstantByteArray(bytes);
  }

  /** The bytes, not copied: callers only read them. */
  byte[] bytes() {
    return bytes;
  }

  /** The text, decoded on the first call. */
  @Override
  public String toString() {
    String s = text;
    if (s == null) {
      s = new String(bytes, StandardCharsets.UTF_8);
      text = s;
    }
    return s;
  }

  /** Equal to another {@code Utf8Text} of the same text (UTF-8 bytes are one per text). */
  @Override
  public boolean equals(Object other) {
    return other instanceof Utf8Text u && Arrays.equals(bytes, u.bytes);
  }

  /** The text's {@code String} hash. */
  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
