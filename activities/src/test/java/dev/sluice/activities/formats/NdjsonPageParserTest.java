package dev.sluice.activities.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonPageParserTest {
  private final NdjsonPageParser parser = new NdjsonPageParser(new JsonFactory());
  private final CollectingSink sink = new CollectingSink();

  private PageSummary parse(String text, int page) throws IOException {
    return parser.parse(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), page, sink);
  }

  @Test
  void givenObjectsPerLineWithBlankLines_whenParsed_thenEveryObjectIsARecord() throws IOException {
    PageSummary summary = parse("{\"a\":1}\n\n{\"a\":2,\"b\":\"x\"}\r\n\n", 1);

    assertThat(summary.records()).isEqualTo(2);
    assertThat(sink.columns()).containsExactly("a", "b");
    assertThat(sink.records).containsExactly(List.of(1L), Arrays.asList(2L, "x"));
  }

  @Test
  void givenColumnsFromEarlierPage_whenNextPageParsed_thenIndexesAreStable() throws IOException {
    parse("{\"a\":1,\"b\":2}\n", 1);
    parse("{\"b\":3}\n", 2);

    assertThat(sink.announcements).hasSize(2);
    assertThat(sink.records.get(1)).containsExactly(null, 3L);
  }

  @Test
  void givenKeysInChangingOrderAndEscapedNames_whenParsed_thenEveryValueLandsInItsColumn()
      throws IOException {
    // Keys are first matched in place against the previous record's order; misses read the name.
    parse(
        "{\"a\":1,\"b\":\"x\",\"c\":true}\n"
            + "{\"a\":2,\"b\":\"y\",\"c\":false}\n"
            + "{\"c\":null,\"a\":3}\n"
            + "{\"a\":4,\"\\u0062\":\"z\",\"c\":true}\n"
            + "{\"a\":5,\"d\":6,\"b\":\"w\"}\n",
        1);

    assertThat(sink.columns()).containsExactly("a", "b", "c", "d");
    assertThat(sink.records)
        .containsExactly(
            List.of(1L, "x", true),
            List.of(2L, "y", false),
            Arrays.asList(3L, null, null),
            List.of(4L, "z", true),
            Arrays.asList(5L, "w", null, 6L));
  }

  @Test
  void givenMalformedAfterAKeyMatchedInPlace_whenParsed_thenMalformedNamesPageAndLine() {
    assertThatThrownBy(() -> parse("{\"a\":1,\"b\":2}\n{\"a\":1,\"b\" 2}\n", 3))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 3, line 2: invalid JSON");
  }

  @Test
  void givenMalformedLine_whenParsed_thenMalformedNamesPageAndLine() {
    assertThatThrownBy(() -> parse("{\"a\":1}\n{\"a\":1}\n{\"a\" 1}\n", 5))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 5, line 3: invalid JSON");
  }

  @Test
  void givenLineThatIsNotAnObject_whenParsed_thenMalformed() {
    assertThatThrownBy(() -> parse("{\"a\":1}\n[1]\n", 1))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 1, line 2: expected a JSON object");
  }

  @Test
  void givenInvalidUtf8InAValue_whenParsed_thenMalformedNamingPageLineAndByteOffset() {
    byte[] page = "{\"a\":\"ok\"}\n{\"a\":\"Ren\u0000e\"}\n".getBytes(StandardCharsets.UTF_8);
    page[17] = (byte) 0xE9; // the U+0000 placeholder: a lone Latin-1 é, invalid in UTF-8

    assertThatThrownBy(() -> parser.parse(new ByteArrayInputStream(page), 6, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 6, line 2: invalid UTF-8 at byte offset 17 (0xe9)");
  }

  @Test
  void givenByteOrderMark_whenParsed_thenItIsSkipped() throws IOException {
    parse("\uFEFF{\"a\":1}\n", 1);

    assertThat(sink.records).containsExactly(List.of(1L));
  }

  @Test
  void givenLatin1PageAndCharsetNamed_whenParsed_thenDecodedWithIt() throws IOException {
    byte[] page = "{\"a\":\"Ren\u0000e\"}\n".getBytes(StandardCharsets.UTF_8);
    page[9] = (byte) 0xE9;
    NdjsonPageParser latin1 =
        new NdjsonPageParser(
            new JsonFactory(), new PageText(StandardCharsets.ISO_8859_1, 1 << 20, "1MB"), false);

    latin1.parse(new ByteArrayInputStream(page), 1, sink);

    assertThat(sink.records).containsExactly(List.of("Renée"));
  }

  @Test
  void givenWindows1252PageWithAnUndefinedByte_whenParsed_thenMalformedNamingTheOffset() {
    byte[] page = "{\"a\":1}\n{\"a\":\"x\u0000\"}\n".getBytes(StandardCharsets.UTF_8);
    page[15] = (byte) 0x81; // undefined in windows-1252
    NdjsonPageParser cp1252 =
        new NdjsonPageParser(
            new JsonFactory(),
            new PageText(java.nio.charset.Charset.forName("windows-1252"), 1 << 20, "1MB"), false);

    assertThatThrownBy(() -> cp1252.parse(new ByteArrayInputStream(page), 1, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 1, line 2: invalid windows-1252 at byte offset 15 (0x81)");
  }

  @Test
  void givenValueLongerThanTheLimit_whenParsed_thenMalformedNamingRecordAndColumn() {
    NdjsonPageParser small =
        new NdjsonPageParser(
            new JsonFactory(), new PageText(StandardCharsets.UTF_8, 1000, "1000B"), false);
    String page =
        "{\"id\":1,\"body\":\"short\"}\n{\"id\":2,\"body\":\"" + "x".repeat(5000) + "\"}\n";

    assertThatThrownBy(
            () ->
                small.parse(
                    new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)), 2, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage(
            "page 2, line 2: record 2, column 'body': the value is longer than"
                + " format.maxFieldSize (1000B, 1000 characters)");
  }

  @Test
  void givenNestedValueLongerThanTheLimit_whenParsed_thenMalformedNamingRecordAndColumn() {
    NdjsonPageParser small =
        new NdjsonPageParser(
            new JsonFactory(), new PageText(StandardCharsets.UTF_8, 1000, "1000B"), false);
    String page = "{\"tags\":[" + "\"abcdefgh\",".repeat(2000) + "\"z\"]}\n";

    assertThatThrownBy(
            () ->
                small.parse(
                    new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)), 1, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("record 1, column 'tags': the value is longer");
  }

  @Test
  void givenCsvMediaType_whenChecked_thenMalformed() {
    assertThatThrownBy(() -> parser.checkMediaType(1, "GET http://h:80/p", "text/csv"))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("text/csv, which is not ndjson");
    parser.checkMediaType(1, "GET http://h:80/p", "application/json");
  }

  @Test
  void givenNestedStruct_whenParsed_thenObjectsAreMapsAndArraysAreLists() throws IOException {
    NdjsonPageParser nested = new NdjsonPageParser(new JsonFactory(), PageText.DEFAULTS, true);
    String page = "{\"id\":1,\"c\":{\"n\":\"x\",\"t\":[1,2.5,null,{\"k\":true}]},\"e\":[]}\n";

    nested.parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)), 1, sink);

    java.util.Map<String, Object> c = new java.util.LinkedHashMap<>();
    c.put("n", "x");
    c.put("t", Arrays.asList(1L, 2.5, null, java.util.Map.of("k", true)));
    assertThat(sink.records).containsExactly(List.of(1L, c, List.of()));
    assertThat(new ArrayList<Object>(((java.util.Map<?, ?>) sink.records.get(0).get(1)).keySet()))
        .containsExactly((Object) "n", "t");
  }

  @Test
  void givenNestedStructLongerThanTheLimit_whenParsed_thenMalformedNamingRecordAndColumn() {
    NdjsonPageParser small =
        new NdjsonPageParser(
            new JsonFactory(), new PageText(StandardCharsets.UTF_8, 1000, "1000B"), true);
    String page = "{\"tags\":{\"a\":[" + "\"abcdefgh\",".repeat(2000) + "\"z\"]}}\n";

    assertThatThrownBy(
            () ->
                small.parse(
                    new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)), 1, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("record 1, column 'tags': the value is longer");
  }
}
