package dev.sluice.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

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

    assertThat(csv).isEqualTo("plain,comma,quote,newline,cr\n"
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
}
