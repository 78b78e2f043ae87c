package dev.sluice.sandbox;

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
}
