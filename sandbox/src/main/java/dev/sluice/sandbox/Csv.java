package dev.sluice.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * RFC 4180 CSV writing with LF line endings. A field is quoted when it contains a comma, a double
 * quote, CR or LF, and inner quotes are doubled. {@code null} is an empty unquoted field and the
 * empty string is {@code ""}, so a reader can tell them apart.
 */
final class Csv {

  private Csv() {}

  /** Renders a header line naming {@code columns}, then one line per row. */
  static String write(List<String> columns, List<? extends Map<String, ?>> rows) {
    StringBuilder out = new StringBuilder(64 * (rows.size() + 1));
    appendLine(out, columns);
    for (Map<String, ?> row : rows) {
      appendLine(out, columns.stream().map(row::get).toList());
    }
    return out.toString();
  }

  private static void appendLine(StringBuilder out, List<?> values) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      appendField(out, values.get(i));
    }
    out.append('\n');
  }

  private static void appendField(StringBuilder out, Object value) {
    if (value == null) {
      return;
    }
    String text = value.toString();
    if (text.isEmpty() || needsQuotes(text)) {
      out.append('"').append(text.replace("\"", "\"\"")).append('"');
    } else {
      out.append(text);
    }
  }

  // A plain loop: this runs for every field of a million-row export.
  private static boolean needsQuotes(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == ',' || c == '"' || c == '\r' || c == '\n') {
        return true;
      }
    }
    return false;
  }

  /**
   * The same CSV as {@link Csv#write}, encoded as UTF-8 straight into a stream through one
   * fixed-size buffer: no string per value, line or page, so the memory a page takes does not
   * depend on its row count. Not thread-safe; one per response.
   */
  static final class StreamWriter {

    // Large enough that a write to the connection moves many rows, small enough to stay in cache.
    private static final int BUFFER_BYTES = 64 * 1024;
    // A char takes at most 3 bytes in UTF-8 (a surrogate pair 4 for 2 chars), plus its quotes.
    private static final int MAX_BYTES_PER_CHAR = 6;

    private final OutputStream out;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private char[] chars = new char[256];
    private int length;
    private boolean lineStarted;

    StreamWriter(OutputStream out) {
      this.out = out;
    }

    /** Writes a header line naming {@code columns}. */
    void header(List<String> columns) throws IOException {
      for (String column : columns) {
        field(column);
      }
      endLine();
    }

    /** Writes the next field of the current line; {@code null} is SQL null (an empty field). */
    void field(CharSequence value) throws IOException {
      if (lineStarted) {
        put((byte) ',');
      }
      lineStarted = true;
      if (value == null) {
        return;
      }
      // One bulk copy, then array loops: charAt through CharSequence per character cost more
      // than generating the rows.
      int n = value.length();
      if (chars.length < n) {
        chars = new char[Math.max(n, 2 * chars.length)];
      }
      if (value instanceof StringBuilder builder) {
        builder.getChars(0, n, chars, 0);
      } else {
        value.toString().getChars(0, n, chars, 0);
      }
      boolean quoted = n == 0 || needsQuotes(chars, n);
      if (quoted) {
        put((byte) '"');
      }
      for (int i = 0; i < n; i++) {
        char c = chars[i];
        if (length > buffer.length - MAX_BYTES_PER_CHAR) {
          drain();
        }
        if (c < 0x80) {
          if (c == '"') {
            buffer[length++] = '"';
          }
          buffer[length++] = (byte) c;
        } else if (c < 0x800) {
          buffer[length++] = (byte) (0xC0 | c >> 6);
          buffer[length++] = (byte) (0x80 | c & 0x3F);
        } else if (Character.isHighSurrogate(c)
            && i + 1 < n
            && Character.isLowSurrogate(chars[i + 1])) {
          int codePoint = Character.toCodePoint(c, chars[++i]);
          buffer[length++] = (byte) (0xF0 | codePoint >> 18);
          buffer[length++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
          buffer[length++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
          buffer[length++] = (byte) (0x80 | codePoint & 0x3F);
        } else if (Character.isSurrogate(c)) {
          // What String.getBytes(UTF_8) writes for a lone surrogate.
          buffer[length++] = '?';
        } else {
          buffer[length++] = (byte) (0xE0 | c >> 12);
          buffer[length++] = (byte) (0x80 | c >> 6 & 0x3F);
          buffer[length++] = (byte) (0x80 | c & 0x3F);
        }
      }
      if (quoted) {
        put((byte) '"');
      }
    }

    private static boolean needsQuotes(char[] text, int length) {
      for (int i = 0; i < length; i++) {
        char c = text[i];
        if (c == ',' || c == '"' || c == '\r' || c == '\n') {
          return true;
        }
      }
      return false;
    }

    /** Ends the current line with LF. */
    void endLine() throws IOException {
      put((byte) '\n');
      lineStarted = false;
    }

    /** Writes out what is buffered; the stream itself is not flushed or closed. */
    void finish() throws IOException {
      drain();
    }

    private void put(byte b) throws IOException {
      if (length == buffer.length) {
        drain();
      }
      buffer[length++] = b;
    }

    private void drain() throws IOException {
      out.write(buffer, 0, length);
      length = 0;
    }
  }
}
