package dev.sluice.activities.parquet;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.parquet.io.api.Binary;

/**
 * A parsed text value kept as its UTF-8 bytes: what the byte CSV tokenizer hands a {@link
 * RecordSink} that {@link RecordSink#takesUtf8Text() takes it}, so a string column is written
 * with the page's own bytes (no decode to a {@code String}, no encode back) and typed columns
 * read ASCII digits and ISO timestamps straight from them. Measured: the decode and the encode
 * were a fifth of the CSV parser thread (docs/performance.md, section 0).
 *
 * <p>Immutable and never empty (an empty value stays the {@code String} {@code ""}, so the checks
 * for empty text keep working). Its {@link CharSequence} view is the decoded text: exact for any
 * bytes, read from the bytes without decoding while they are ASCII. {@link #toString()} decodes
 * once and caches; {@link #equals}/{@link #hashCode} are those of the text among {@code Utf8Text}
 * values (never equal to a {@code String}: consumers that compare text decode first). Safe to
 * hand to another thread: the caches are idempotent, like {@code String}'s hash.
 */
public final class Utf8Text implements CharSequence {
  private static final byte UNKNOWN = 0;
  private static final byte ASCII = 1;
  private static final byte NOT_ASCII = 2;

  private final byte[] bytes;
  private String text;
  private byte kind;

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

  /** Whether every byte is ASCII, so byte {@code i} is char {@code i}. */
  boolean ascii() {
    byte k = kind;
    if (k == UNKNOWN) {
      k = ASCII;
      for (byte b : bytes) {
        if (b < 0) {
          k = NOT_ASCII;
          break;
        }
      }
      kind = k;
    }
    return k == ASCII;
  }

  /** The bytes, not copied: callers only read them. */
  byte[] bytes() {
    return bytes;
  }

  @Override
  public int length() {
    return ascii() ? bytes.length : toString().length();
  }

  @Override
  public char charAt(int index) {
    if (ascii()) {
      if (index < 0 || index >= bytes.length) {
        throw new StringIndexOutOfBoundsException(index);
      }
      return (char) bytes[index];
    }
    return toString().charAt(index);
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return toString().subSequence(start, end);
  }

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
