package dev.sluice.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvTest {

  @Test
  void givenSpecialCharacters_whenWritten_thenOnlyThoseFieldsQuotedAndQuotesDoubled() {
    Map<String, Object> row = new HashMap<>();
    row.put("plain", "Zoë 李 🚀");
    row.put("comma", "a,b");
    row.put("quote", "say \"hi\"");
    row.put("newline", "one\ntwo");
    row.put("cr", "one\rtwo");

    String csv = Csv.write(List.of("plain", "comma", "quote", "newline", "cr"), List.of(row));

    assertThat(csv)
        .isEqualTo(
            "plain,comma,quote,newline,cr\n"
                + "Zoë 李 🚀,\"a,b\",\"say \"\"hi\"\"\",\"one\ntwo\",\"one\rtwo\"\n");
  }

  @Test
  void givenNullAndEmptyString_whenWritten_thenEmptyFieldVersusQuotedEmpty() {
    Map<String, Object> row = new HashMap<>();
    row.put("missing", null);
    row.put("empty", "");

    String csv = Csv.write(List.of("missing", "empty"), List.of(row));

    assertThat(csv).isEqualTo("missing,empty\n,\"\"\n");
    assertThat(CsvReader.read(csv).get(1)).isEqualTo(Arrays.asList(null, ""));
  }

  @Test
  void givenHostileAndLongValues_whenStreamed_thenSameUtf8BytesAsWrite() throws Exception {
    List<String> columns = List.of("a", "b", "c");
    List<Map<String, Object>> rows = new ArrayList<>();
    rows.add(row(columns, "Zoë 李 🚀", "say \"hi\", then\r\nbye", ""));
    rows.add(row(columns, null, "lone \uD800 surrogate and \uDC00 too", "\u07FF\u0800\uFFFF"));
    // Longer than the writer's buffer, with multi-byte characters straddling every drain.
    rows.add(row(columns, "é\"".repeat(50_000), "🚀".repeat(40_000), "x".repeat(70_001)));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Csv.StreamWriter writer = new Csv.StreamWriter(out);

    writer.header(columns);
    for (Map<String, Object> row : rows) {
      for (String column : columns) {
        writer.field((String) row.get(column));
      }
      writer.endLine();
    }
    writer.finish();

    assertThat(out.toByteArray())
        .isEqualTo(Csv.write(columns, rows).getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, Object> row(List<String> columns, String... values) {
    Map<String, Object> row = new HashMap<>();
    for (int i = 0; i < values.length; i++) {
      row.put(columns.get(i), values[i]);
    }
    return row;
  }
}
