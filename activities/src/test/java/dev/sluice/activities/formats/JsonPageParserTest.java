package dev.sluice.activities.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonPageParserTest {
  private final JsonFactory factory = new JsonFactory();
  private final CollectingSink sink = new CollectingSink();

  private static ByteArrayInputStream body(String json) {
    return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void givenRootArray_whenParsed_thenKeysBecomeColumnsAndValuesKeepTheirTypes() throws IOException {
    JsonPageParser parser = new JsonPageParser(factory, "", Set.of());

    PageSummary summary =
        parser.parse(
            body(
                "[{\"s\":\"x\",\"i\":42,\"f\":1.5,\"b\":true,\"n\":null,\"big\":123456789012345678901234567890}]"),
            1,
            sink);

    assertThat(summary.records()).isEqualTo(1);
    assertThat(sink.columns()).containsExactly("s", "i", "f", "b", "n", "big");
    assertThat(sink.records)
        .containsExactly(
            Arrays.asList(
                "x", 42L, 1.5, true, null, new BigDecimal("123456789012345678901234567890")));
  }

  @Test
  void givenRowsAsArraysAndArrayColumns_whenParsed_thenEachValueInItsNamedColumn()
      throws IOException {
    JsonPageParser parser =
        new JsonPageParser(factory, "/data", Set.of()).withArrayColumns(List.of("ID", "NAME"));

    PageSummary summary =
        parser.parse(body("{\"data\":[[\"1\",\"Ada\"],[\"2\",null],[\"3\"]]}"), 1, sink);

    assertThat(summary.records()).isEqualTo(3);
    assertThat(sink.columns()).containsExactly("ID", "NAME");
    assertThat(sink.records)
        .containsExactly(
            Arrays.asList("1", "Ada"), Arrays.asList("2", null), Arrays.asList("3", null));
  }

  @Test
  void givenArrayRowLongerThanArrayColumns_whenParsed_thenMalformedNamingTheRecord() {
    JsonPageParser parser =
        new JsonPageParser(factory, "", Set.of()).withArrayColumns(List.of("ID"));

    assertThatThrownBy(() -> parser.parse(body("[[\"1\",\"x\"]]"), 1, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("record 1 has more than the 1 values of arrayColumns");
  }

  @Test
  void givenArrayRowWithoutArrayColumns_whenParsed_thenMalformedAsBefore() {
    JsonPageParser parser = new JsonPageParser(factory, "", Set.of());

    assertThatThrownBy(() -> parser.parse(body("[[\"1\"]]"), 1, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("is not an object");
  }

  @Test
  void givenNestedValues_whenParsed_thenTheyArriveAsJsonText() throws IOException {
    JsonPageParser parser = new JsonPageParser(factory, "", Set.of());

    parser.parse(body("[{\"o\":{\"k\":[1,2]},\"a\":[\"x\"]}]"), 1, sink);

    assertThat(sink.records).containsExactly(List.of("{\"k\":[1,2]}", "[\"x\"]"));
  }

  @Test
  void givenRecordIntroducingNewKey_whenParsed_thenColumnsAreAnnouncedAgainGrown()
      throws IOException {
    JsonPageParser parser = new JsonPageParser(factory, "", Set.of());

    parser.parse(body("[{\"a\":1},{\"b\":2,\"a\":3}]"), 1, sink);

    assertThat(sink.announcements).containsExactly(List.of("a"), List.of("a", "b"));
    assertThat(sink.records).containsExactly(List.of(1L), List.of(3L, 2L));
  }

  @Test
  void givenCursorAfterTheArray_whenParsed_thenItIsCaptured() throws IOException {
    JsonPageParser parser = new JsonPageParser(factory, "/data/items", Set.of("/meta/next"));

    PageSummary summary =
        parser.parse(
            body(
                "{\"data\":{\"items\":[{\"id\":1},{\"id\":2}]},\"meta\":{\"next\":\"c2\",\"skip\":[1]}}"),
            1,
            sink);

    assertThat(summary.records()).isEqualTo(2);
    assertThat(summary.captured()).isEqualTo(Map.of("/meta/next", "c2"));
  }

  @Test
  void givenNextUrlBeforeTheArray_whenParsed_thenItIsCapturedAndOtherContainersSkipped()
      throws IOException {
    JsonPageParser parser = new JsonPageParser(factory, "/records", Set.of("/nextRecordsUrl"));

    PageSummary summary =
        parser.parse(
            body(
                "{\"nextRecordsUrl\":\"/q?page=2\",\"ignored\":{\"records\":[1]},\"records\":[{\"id\":1}]}"),
            1,
            sink);

    assertThat(summary.captured()).containsEntry("/nextRecordsUrl", "/q?page=2");
    assertThat(sink.records).containsExactly(List.of(1L));
  }

  @Test
  void givenNullCapture_whenParsed_thenItIsAbsent() throws IOException {
    JsonPageParser parser = new JsonPageParser(factory, "/records", Set.of("/next"));

    PageSummary summary = parser.parse(body("{\"records\":[],\"next\":null}"), 1, sink);

    assertThat(summary.captured()).isEmpty();
  }

  @Test
  void givenNoArrayAtRecordsPath_whenParsed_thenMalformed() {
    JsonPageParser parser = new JsonPageParser(factory, "/records", Set.of());

    assertThatThrownBy(() -> parser.parse(body("{\"items\":[]}"), 3, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 3, line 1: no records at JSON pointer '/records'");
  }

  @Test
  void givenBrokenJson_whenParsed_thenMalformedNamesPageAndLine() {
    JsonPageParser parser = new JsonPageParser(factory, "", Set.of());

    assertThatThrownBy(() -> parser.parse(body("[\n{\"a\":1},\n{\"a\":}\n]"), 2, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 2, line 3: invalid JSON");
  }

  @Test
  void givenArrayOfScalars_whenParsed_thenMalformed() {
    JsonPageParser parser = new JsonPageParser(factory, "", Set.of());

    assertThatThrownBy(() -> parser.parse(body("[1]"), 1, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("record 1 at '' is not an object");
  }

  @Test
  void givenHtmlErrorPage_whenMediaTypeChecked_thenMalformedNamingIt() {
    JsonPageParser parser = new JsonPageParser(factory, "/data", Set.of());

    assertThatThrownBy(() -> parser.checkMediaType(3, "GET http://h:80/export", "text/html"))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith(
            "page 3: GET http://h:80/export answered media type text/html, which is not json");
  }

  @Test
  void givenValueLongerThanTheLimit_whenParsed_thenMalformedNamingRecordAndColumn() {
    JsonPageParser parser =
        new JsonPageParser(
            factory, "/data", Set.of(), new PageText(StandardCharsets.UTF_8, 100, "100B"), false);

    assertThatThrownBy(
            () ->
                parser.parse(
                    body("{\"data\":[{\"a\":1},{\"a\":2,\"note\":\"" + "n".repeat(300) + "\"}]}"),
                    1,
                    sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("record 2, column 'note': the value is longer than");
  }

  @Test
  void givenDefaultLimit_whenValueLongerThanJacksonsOwnDefault_thenItIsRead() throws IOException {
    // Jackson refuses strings over 20M chars by default; the format's 32MB default governs.
    JsonPageParser parser = new JsonPageParser(factory, "", Set.of());
    String value = "v".repeat(21_000_000);

    parser.parse(body("[{\"a\":\"" + value + "\"}]"), 1, sink);

    assertThat(((String) sink.records.get(0).get(0)).length()).isEqualTo(21_000_000);
  }
}
