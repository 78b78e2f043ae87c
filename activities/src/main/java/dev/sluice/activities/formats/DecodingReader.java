package dev.sluice.activities.formats;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a page strictly: bytes that are not valid in the charset end the text with an {@link
 * UndecodableBytesException} naming their offset, where {@link java.io.InputStreamReader} would
 * quietly put U+FFFD in their place. The characters before them are delivered first, so a parser
 * has read up to the bad bytes (and knows their line) when the exception reaches it. A leading
 * byte-order mark is dropped.
 */
final class DecodingReader extends Reader {
  private static final int BUFFER_BYTES = 1 << 16;
  private static final char BOM = '\uFEFF';

  private final InputStream in;
  private final CharsetDecoder decoder;

  /** UTF-8 is decoded by {@link Utf8Fast} first; the decoder then only sees what it left. */
  private final boolean utf8;

  /** Undecoded bytes between position and limit (read mode). */
  private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER_BYTES).flip();

  /** Bytes of the page decoded so far: the offset of {@code bytes.position()}. */
  private long decoded;

  private boolean endOfInput;
  private boolean flushed;
  private boolean atStart = true;

  DecodingReader(InputStream in, Charset charset) {
    this(in, charset, 0);
  }

  /**
   * A reader of a page's bytes from {@code firstOffset} on: offsets in errors are the page's. A
   * byte-order mark is dropped only at the page's start.
   */
  DecodingReader(InputStream in, Charset charset, long firstOffset) {
    this.in = in;
    this.decoded = firstOffset;
    this.atStart = firstOffset == 0;
    this.decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    this.utf8 = charset.equals(StandardCharsets.UTF_8);
  }

  @Override
  public int read(char[] target, int offset, int length) throws IOException {
    int n = decode(target, offset, length);
    if (atStart && n > 0) {
      atStart = false;
      if (target[offset] == BOM) {
        // A byte-order mark says how the text is encoded; it is not part of it.
        System.arraycopy(target, offset + 1, target, offset, n - 1);
        return n == 1 ? read(target, offset, length) : n - 1;
      }
    }
    return n;
  }

  private int decode(char[] target, int offset, int length) throws IOException {
    if (flushed) {
      return -1; // readers may ask again after the end
    }
    if (length == 0) {
      return 0;
    }
    while (true) {
      if (utf8) {
        // Measured: the JDK's decoder leaves its ASCII fast path at the first non-ASCII byte of a
        // buffer and decodes the rest byte by byte, ~40% of a CSV page's parse. Utf8Fast decodes
        // only what is certainly valid and stops before anything else, which the decoder below
        // then reports (or decodes) exactly as before.
        int start = bytes.position();
        int chars = Utf8Fast.decode(bytes, target, offset, length);
        decoded += bytes.position() - start;
        if (chars > 0) {
          return chars;
        }
      }
      CharBuffer out = CharBuffer.wrap(target, offset, length);
      int before = bytes.position();
      CoderResult result = decoder.decode(bytes, out, endOfInput);
      decoded += bytes.position() - before;
      int chars = out.position() - offset;
      if (result.isError()) {
        if (chars > 0) {
          return chars; // the good text first; the next read reports the bad bytes
        }
        throw new UndecodableBytesException(decoder.charset(), decoded, badBytes(result.length()));
      }
      if (result.isOverflow()) {
        return chars;
      }
      if (endOfInput) {
        if (!flushed) {
          decoder.flush(out);
          flushed = true;
          chars = out.position() - offset;
        }
        return chars > 0 ? chars : -1;
      }
      if (chars > 0) {
        return chars;
      }
      refill();
    }
  }

  private void refill() throws IOException {
    bytes.compact();
    int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
    if (n < 0) {
      endOfInput = true;
    } else {
      bytes.position(bytes.position() + n);
    }
    bytes.flip();
  }

  private String badBytes(int count) {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < count && bytes.position() + i < bytes.limit(); i++) {
      hex.append(i == 0 ? "0x" : " 0x")
          .append(String.format("%02x", bytes.get(bytes.position() + i) & 0xff));
    }
    return hex.toString();
  }

  /** Does not close the page body: the caller owns it, as {@link PageParser#parse} says. */
  @Override
  public void close() {}
}
