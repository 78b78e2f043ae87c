package dev.sluice.activities.formats;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.SequenceInputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A UTF-8 page's bytes, checked before a byte-based parser sees them: it delivers only well-formed
 * UTF-8 (by {@link Utf8Fast}'s rules), and at the first byte that is not, it ends the page with the
 * {@link UndecodableBytesException} {@link DecodingReader} throws for the same bytes: the same
 * offset and the same bytes named. The bytes before the bad ones are delivered first, so a parser
 * has read up to them (and knows their line) when the exception reaches it. A leading byte-order
 * mark is dropped; offsets still count it, as {@link DecodingReader}'s do.
 *
 * <p>Why not let the parser check: Jackson's byte parser checks UTF-8 only inside strings, names
 * the byte after a bad one, and lets some sequences (overlong forms, surrogates) through.
 *
 * <p>The bytes from a point the reader names ({@link #mark}) on stay in memory, so that the
 * page can be read again from there as {@link DecodingReader} text ({@link #replay}): a parser that
 * fails over bytes hands the rest of the page to the char parser, whose errors are the reference.
 */
final class CheckedUtf8Stream extends InputStream {
  private static final int BUFFER_BYTES = 1 << 16;
  private static final int BLOCK = 32;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  /** How far the start of the mark's line is kept; beyond, its chars are counted instead. */
  private static final int LONG_LINE = 1 << 16;

  private final InputStream in;
  private byte[] buffer = new byte[BUFFER_BYTES];

  /** Checked bytes not yet delivered: {@code buffer[position, checked)}. */
  private int position;

  private int checked;

  /** Bytes read but not yet checked, {@code buffer[checked, end)}: an incomplete sequence. */
  private int end;

  /** The page offset of {@code buffer[0]}. */
  private long base;

  private boolean endOfInput;
  private boolean atStart = true;

  /** 3 when a byte-order mark was dropped: the page offset of delivered byte 0. */
  private int bom;

  /** The page offset and line of the {@link #mark}; line 0 before any. */
  private long markOffset;

  private int markLine;
  private int markColumn;

  /** The page offset of the first byte kept for {@link #replay}, on the mark's line. */
  private long kept;

  private int keptLine;

  /** The chars on the mark's line before {@code kept}. */
  private long keptChars;

  /** The bad bytes after the checked ones; thrown once those are delivered. */
  private UndecodableBytesException bad;

  /** The JDK's decoder names the bad bytes, exactly as {@link DecodingReader}'s decoder does. */
  private CharsetDecoder decoder;

  CheckedUtf8Stream(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    if (position == checked && !fill()) {
      return -1;
    }
    return buffer[position++] & 0xff;
  }

  @Override
  public int read(byte[] target, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    if (position == checked && !fill()) {
      return -1;
    }
    int n = Math.min(length, checked - position);
    System.arraycopy(buffer, position, target, offset, n);
    position += n;
    return n;
  }

  /**
   * Reads and checks more bytes.
   *
   * @return false at the end of the page
   * @throws UndecodableBytesException at bad bytes, once the good ones before are delivered
   */
  private boolean fill() throws IOException {
    while (position == checked) {
      if (bad != null) {
        throw bad;
      }
      if (endOfInput && checked == end) {
        return false;
      }
      // Drops what is delivered and not kept; the rest (kept bytes, an incomplete sequence) moves
      // to the front. Kept bytes are one record or two: the buffer grows only for long records.
      int drop = (int) Math.min(checked, kept - base);
      System.arraycopy(buffer, drop, buffer, 0, end - drop);
      base += drop;
      position -= drop;
      checked -= drop;
      end -= drop;
      if (end == buffer.length) {
        buffer = Arrays.copyOf(buffer, 2 * buffer.length);
      }
      int n = endOfInput ? -1 : in.read(buffer, end, buffer.length - end);
      if (n < 0) {
        endOfInput = true;
      } else {
        end += n;
      }
      if (atStart) {
        if (end < 3 && !endOfInput) {
          continue;
        }
        atStart = false;
        if (end >= 3
            && buffer[0] == (byte) 0xef
            && buffer[1] == (byte) 0xbb
            && buffer[2] == (byte) 0xbf) {
          // A byte-order mark says how the text is encoded; it is not part of it.
          position = 3;
          checked = 3;
          bom = 3;
        }
      }
      check();
    }
    return true;
  }

  /** Moves {@code checked} over the well-formed bytes; notes the bad ones after them, if any. */
  private void check() {
    while (true) {
      checked += validPrefix(buffer, checked, end);
      if (checked == end) {
        return;
      }
      // The JDK's decoder decides, as it does for DecodingReader: bad bytes (and how many), or a
      // sequence that the next read may complete (not at the end of the page).
      if (decoder == null) {
        decoder =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
      }
      ByteBuffer rest = ByteBuffer.wrap(buffer, checked, end - checked);
      CoderResult result = decoder.reset().decode(rest, CharBuffer.allocate(16), endOfInput);
      if (result.isError()) {
        bad =
            new UndecodableBytesException(
                StandardCharsets.UTF_8, base + checked, badBytes(result.length()));
        return;
      }
      if (rest.position() == checked) {
        return; // incomplete: wait for more bytes
      }
      checked = rest.position(); // decoded what Utf8Fast left (it should not leave any)
    }
  }

  /**
   * {@link Utf8Fast#validPrefix}, 32 ASCII bytes at a time first: most of a JSON page is ASCII
   * (names, punctuation, numbers). Measured (JFR, parser thread): checking 8 bytes at a time was
   * ~12% of the parse, 32 at a time ~6%; decoding to chars had been ~21%.
   */
  static int validPrefix(byte[] src, int from, int to) {
    int p = from;
    while (true) {
      while (p + BLOCK <= to
          && (((long) LONGS.get(src, p)
                      | (long) LONGS.get(src, p + 8)
                      | (long) LONGS.get(src, p + 16)
                      | (long) LONGS.get(src, p + 24))
                  & HIGH_BITS)
              == 0) {
        p += BLOCK;
      }
      if (p + BLOCK > to) {
        return p - from + Utf8Fast.validPrefix(src, p, to);
      }
      // A block with non-ASCII bytes, and the up to 3 bytes a sequence starting in it may take.
      int q = p + Utf8Fast.validPrefix(src, p, Math.min(to, p + BLOCK + 3));
      if (q < p + BLOCK) {
        return q - from; // a bad sequence, or one the end of the bytes cuts
      }
      p = q;
    }
  }

  private String badBytes(int count) {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < count && checked + i < end; i++) {
      hex.append(i == 0 ? "0x" : " 0x").append(String.format("%02x", buffer[checked + i] & 0xff));
    }
    return hex.toString();
  }

  /**
   * Marks where the page will be read again from if a parser fails ({@link #replay}): after the
   * last record read. Bytes from there on stay in memory (with the start of their line, when it is
   * near, for its column); those before it may be dropped.
   *
   * @param delivered an offset among the bytes this stream delivered (a byte-order mark not
   *     counted), not before the previous mark
   * @param line its 1-based line
   * @param column its 1-based column in bytes, as Jackson's byte parser counts it
   */
  void mark(long delivered, int line, int column) {
    markOffset = delivered + bom;
    markLine = line;
    markColumn = column;
    if (line != keptLine) {
      kept = markOffset - (column - 1);
      keptLine = line;
      keptChars = 0;
    } else if (markOffset - kept > LONG_LINE) {
      // Many records on one line: keep only the last, and the count of the line's chars before.
      keptChars += chars((int) (kept - base), (int) (markOffset - base));
      kept = markOffset;
    }
  }

  /**
   * The page from the {@link #mark} on (its start if none), as a {@link DecodingReader} decodes it
   * there: the same text, and the same offsets of bad bytes. The text before it is stood in for by
   * line feeds and spaces, so that a char parser counts the same lines and columns as over the
   * whole page. The stream is not read from again.
   */
  Reader replay() {
    if (markLine == 0) {
      // No record read: the whole page, byte-order mark and all, as the char parser reads it.
      return new DecodingReader(
          new SequenceInputStream(new ByteArrayInputStream(buffer, 0, end), in),
          StandardCharsets.UTF_8);
    }
    int at = (int) (markOffset - base);
    // Jackson's char parser counts a line's chars (UTF-16 units), not its bytes.
    long chars = keptChars + chars((int) (kept - base), at);
    long padding = (markLine - 1L) + chars;
    InputStream text =
        new SequenceInputStream(
            new Padding(markLine - 1L, chars),
            new SequenceInputStream(new ByteArrayInputStream(buffer, at, end - at), in));
    return new DecodingReader(text, StandardCharsets.UTF_8, markOffset - padding);
  }

  /**
   * This stream from the {@link #mark} on (its start if none), for a byte parser to go on from
   * there: its offsets are {@link #fromMarkShift} less than this stream's, its lines start at the
   * mark's line, and on that line its columns at the mark's column.
   */
  InputStream fromMark() {
    position = markLine == 0 ? bom : (int) (markOffset - base);
    return this;
  }

  /** What to add to an offset of the parser over {@link #fromMark} for this stream's offset. */
  long fromMarkShift() {
    return markLine == 0 ? 0 : markOffset - bom;
  }

  /** The page offset of the {@link #mark}. */
  long markOffset() {
    return markOffset;
  }

  /** The line of the {@link #mark}; 0 if none. */
  int markLine() {
    return markLine;
  }

  /** The (byte) column of the {@link #mark}. */
  int markColumn() {
    return markColumn;
  }


  // For a scanner working in place: the checked bytes are buffer()[position(), checked()), the
  // page offset of buffer()[i] is base() + i.

  byte[] buffer() {
    return buffer;
  }

  int position() {
    return position;
  }

  int checked() {
    return checked;
  }

  long base() {
    return base;
  }

  /** The page offset of delivered byte 0: after a byte-order mark. */
  int bom() {
    return bom;
  }

  /**
   * Reads more checked bytes after {@code checked()}, keeping those from the mark on (their
   * indexes may change: {@code base()} says how).
   *
   * @return false at the end of the page
   * @throws UndecodableBytesException when bad bytes come next
   */
  boolean more() throws IOException {
    position = checked;
    return fill();
  }

  /** The UTF-16 units that the (well-formed) {@code buffer[from, to)} decodes to. */
  private int chars(int from, int to) {
    int chars = 0;
    for (int i = from; i < to; i++) {
      int b = buffer[i] & 0xff;
      chars += (b & 0xc0) != 0x80 ? 1 : 0; // a sequence's first byte
      chars += b >= 0xf0 ? 1 : 0; // a four-byte sequence is a surrogate pair
    }
    return chars;
  }

  /** {@code newlines} line feeds, then {@code spaces} spaces. */
  private static final class Padding extends InputStream {
    private long newlines;
    private long spaces;

    Padding(long newlines, long spaces) {
      this.newlines = newlines;
      this.spaces = spaces;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0];
    }

    @Override
    public int read(byte[] target, int offset, int length) {
      if (newlines + spaces == 0) {
        return -1;
      }
      int n = (int) Math.min(length, newlines + spaces);
      for (int i = 0; i < n; i++) {
        target[offset + i] = newlines > 0 ? (byte) '\n' : (byte) ' ';
        if (newlines > 0) {
          newlines--;
        } else {
          spaces--;
        }
      }
      return n;
    }
  }

  /** Does not close the page body: the caller owns it, as {@link PageParser#parse} says. */
  @Override
  public void close() {}
}
