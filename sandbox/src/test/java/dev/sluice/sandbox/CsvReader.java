package dev.sluice.sandbox;

import java.util.ArrayList;
import java.util.List;

/**
 * A strict RFC 4180 reader for the tests: an empty unquoted field is null, {@code ""} is the empty
 * string, and an unterminated quote is an error.
 */
final class CsvReader {

  private CsvReader() {}

  static List<List<String>> read(String csv) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean inQuotes = false;
    boolean wasQuoted = false;
    for (int i = 0; i < csv.length(); i++) {
      char c = csv.charAt(i);
      if (inQuotes) {
        if (c != '"') {
          field.append(c);
        } else if (i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else {
          inQuotes = false;
        }
      } else if (c == '"') {
        inQuotes = true;
        wasQuoted = true;
      } else if (c == ',' || c == '\n') {
        row.add(field.length() == 0 && !wasQuoted ? null : field.toString());
        field.setLength(0);
        wasQuoted = false;
        if (c == '\n') {
          rows.add(row);
          row = new ArrayList<>();
        }
      } else {
        field.append(c);
      }
    }
    if (inQuotes || field.length() > 0 || !row.isEmpty()) {
      throw new IllegalArgumentException("CSV does not end with a complete line");
    }
    return rows;
  }
}
