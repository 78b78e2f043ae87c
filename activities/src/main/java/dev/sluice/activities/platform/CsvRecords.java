package dev.sluice.activities.platform;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 records, one at a time: quoted fields may hold commas, quotes and line breaks. */
final class CsvRecords {
  private CsvRecords() {}

  /** The next record of {@code in}, or null at the end; blank lines are skipped. */
  static List<String> next(Reader in) throws IOException {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    int c;
    while ((c = in.read()) >= 0) {
      any = true;
      if (quoted) {
        if (c == '"') {
          int d = in.read();
          if (d == '"') {
            field.append('"');
          } else {
            quoted = false;
            if (d < 0) {
              break;
            }
            c = d;
          }
        } else {
          field.append((char) c);
          continue;
        }
        if (quoted || c == '"') {
          continue;
        }
      }
      if (c == '"' && field.length() == 0) {
        quoted = true;
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
      } else if (c == '\n') {
        if (fields.isEmpty() && field.length() == 0) {
          continue; // blank line
        }
        break;
      } else if (c != '\r') {
        field.append((char) c);
      }
    }
    if (!any || (fields.isEmpty() && field.length() == 0 && c < 0)) {
      return null;
    }
    fields.add(field.toString());
    return fields;
  }
}
