package dev.sluice.activities.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@link FlatJsonScanner} reads itself, and where it stops. That what it reads agrees with
 * the char parser is {@link NdjsonPageParserBytesTest}'s to prove.
 */
class FlatJsonScannerTest {
  private final JsonRecordReader records =
      new JsonRecordReader(new JsonFactory(), PageText.DEFAULTS, false);
  private final CollectingSink sink = new CollectingSink();

  @Test
  void givenFlatRecordsWithEveryScalarAndWhiteSpace_whenScanned_thenItReadsThemAll()
      throws IOException {
    String page =
        "\uFEFF{\"id\":1,\"name\":\"Zoë 😀\",\"score\":-2.5e3,\"ok\":true}\r\n"
            + "{ \"ok\" : false ,\t\"id\":-0, \"x\":null, \"name\":\"\" }\n\n"
            + "{}{\"id\":123456789012345678,\"score\":0.1}\n"
            + "{\"name\":\"a \\\"b\\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9\\u4e2d\\u0041\"}";
    FlatJsonScanner scanner = scanner(page);

    assertThat(readAll(scanner)).isEqualTo(5);
    assertThat(scanner.atEnd()).isTrue();
    assertThat(sink.columns()).containsExactly("id", "name", "score", "ok", "x");
    assertThat(sink.records)
        .containsExactly(
            List.of(1L, "Zoë 😀", -2500.0, true),
            Arrays.asList(0L, "", null, false, null),
            Arrays.asList(null, null, null, null, null),
            Arrays.asList(123456789012345678L, null, 0.1, null, null),
            Arrays.asList(null, "a \"b\" \\ / \b\f\n\r\t é中A", null, null, null));
  }

  @Test
  void givenANestedValueInTheThirdRecord_whenScanned_thenItStopsAfterTheSecondForgettingItsKeys()
      throws IOException {
    CheckedUtf8Stream bytes = stream("{\"a\":1}\n{\"b\":2}\n{\"c\":3,\"d\":{\"e\":1}}\n{\"f\":4}\n");
    FlatJsonScanner scanner = new FlatJsonScanner(bytes, records, false);

    assertThat(readAll(scanner)).isEqualTo(2);
    assertThat(scanner.atEnd()).isFalse();
    assertThat(records.columnCount()).isEqualTo(2); // "c" forgotten until it is sent
    // A parser going on from the mark (its lines counted from the mark's) reads the third record
    // on line 3.
    try (JsonParser parser = records.openBytes(bytes.fromMark())) {
      parser.nextToken();
      assertThat(bytes.markLine() + parser.currentLocation().getLineNr() - 1).isEqualTo(3);
      assertThat(parser.currentLocation().getByteOffset() + bytes.fromMarkShift()).isEqualTo(17);
    }
  }

  @Test
  void givenWhatOnlyJacksonReads_whenScanned_thenNothingIsRead() throws IOException {
    String[] others = {
      "{\"a\":\"\\ud83d\\ude00\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12g4\"}",
      "{\"a\":[1]}", "{\"a\":1234567890123456789}", "{\"a\":01}", "{\"a\":1.}",
      "{\"a\":tru}", "{\"a\":truex}", "{\"\\u0061\":1}", "{\"a\":1,}", "[]", "{\"a\":1", "{\"a\" 1}",
      "{\"a\":\"x\ty\"}", "x{\"a\":1}", "{\"a\":-}", "{\"a\":1e}",
    };
    for (String other : others) {
      FlatJsonScanner scanner = scanner(other + "\n");
      assertThat(readAll(scanner)).as(other).isZero();
      assertThat(scanner.atEnd()).as(other).isFalse();
    }
  }

  @Test
  void givenRecordsAcrossManyBuffers_whenScanned_thenEveryOneIsRead() throws IOException {
    FlatJsonScanner scanner = scanner("{\"k\":\"é123\",\"n\":12.5}\n".repeat(20_000));

    assertThat(readAll(scanner)).isEqualTo(20_000);
    assertThat(scanner.atEnd()).isTrue();
  }

  private CheckedUtf8Stream stream(String page) {
    return new CheckedUtf8Stream(
        new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
  }

  private FlatJsonScanner scanner(String page) {
    return new FlatJsonScanner(stream(page), records, false);
  }

  private int readAll(FlatJsonScanner scanner) throws IOException {
    int count = 0;
    for (Object[] row = scanner.next(); row != null; row = scanner.next()) {
      records.send(row, sink);
      count++;
    }
    return count;
  }
}
