package dev.sluice.activities.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvPageParserTest {
  private final CsvPageParser parser = new CsvPageParser(',', '"', true);
  private final CollectingSink sink = new CollectingSink();

  private PageSummary parse(String text, int page) throws IOException {
    return parser.parse(new StringReader(text), page, sink);
  }

  @Test
  void givenHeaderAndRows_whenParsed_thenColumnsAnnouncedOnceAndRowsHandedOver()
      throws IOException {
    PageSummary summary = parse("Id,Name\n1,Ada\n2,Grace\n", 1);

    assertThat(summary.records()).isEqualTo(2);
    assertThat(sink.announcements).containsExactly(List.of("Id", "Name"));
    assertThat(sink.records).containsExactly(List.of("1", "Ada"), List.of("2", "Grace"));
  }

  @Test
  void givenQuotedFields_whenParsed_thenDelimitersDoubledQuotesAndLineBreaksAreKept()
      throws IOException {
    parse("a,b,c\n\"x,y\",\"say \"\"hi\"\"\",\"line1\r\nline2\nline3\"\n", 1);

    assertThat(sink.records).containsExactly(List.of("x,y", "say \"hi\"", "line1\r\nline2\nline3"));
  }

  @Test
  void givenEmptyUnquotedAndQuotedEmptyFields_whenParsed_thenNullAndEmptyStringDiffer()
      throws IOException {
    parse("a,b,c,d\n,\"\",x,\n", 1);

    assertThat(sink.records).containsExactly(Arrays.asList(null, "", "x", null));
  }

  @Test
  void givenCrlfLineEndingsAndNoFinalNewline_whenParsed_thenRecordsSplitCorrectly()
      throws IOException {
    parse("a,b\r\n1,2\r\n3,4", 1);

    assertThat(sink.records).containsExactly(List.of("1", "2"), List.of("3", "4"));
  }

  @Test
  void givenUnicodeAndBom_whenParsed_thenTextIsIntactAndBomDropped() throws IOException {
    parse("\uFEFFname,city\n\"Zoë\",東京 🚀\n", 1);

    assertThat(sink.columns()).containsExactly("name", "city");
    assertThat(sink.records).containsExactly(List.of("Zoë", "東京 🚀"));
  }

  @Test
  void givenOtherDelimiterAndQuote_whenParsed_thenTheyAreUsed() throws IOException {
    CsvPageParser semicolons = new CsvPageParser(';', '\'', true);

    semicolons.parse(new StringReader("a;b\n'x;y';'it''s'\n"), 1, sink);

    assertThat(sink.records).containsExactly(List.of("x;y", "it's"));
  }

  @Test
  void givenShortRecord_whenParsed_thenMalformedNamingRecordAndWidths() {
    assertThatThrownBy(() -> parse("a,b,c\n1,2,3\n1\n", 2))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 2, line 3: record 2 has 1 fields, the header 3")
        .hasMessageContaining("format.allowShortRecords");
  }

  @Test
  void givenShortRecordsAllowed_whenParsed_thenMissingColumnsAreNull() throws IOException {
    CsvPageParser lenient = CsvPageParser.builder().allowShortRecords(true).build();

    lenient.parse(new StringReader("a,b,c\n1\n"), 1, sink);

    assertThat(sink.records).containsExactly(Arrays.asList("1", null, null));
  }

  @Test
  void givenShortRecordWithoutHeader_whenParsed_thenMalformedAgainstTheFirstRecord() {
    CsvPageParser headerless = new CsvPageParser(',', '"', false);

    assertThatThrownBy(() -> headerless.parse(new StringReader("1,2\n3\n"), 1, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 1, line 2: record 2 has 1 fields, the first record 2");
  }

  @Test
  void givenBlankLines_whenParsed_thenTheyAreSkipped() throws IOException {
    PageSummary summary = parse("a\n\n1\n\r\n2\n\n", 1);

    assertThat(summary.records()).isEqualTo(2);
  }

  @Test
  void givenFieldsLongerThanTheReadBuffer_whenParsed_thenTheyAreWhole() throws IOException {
    String longValue = "v".repeat(200_000);

    parse("a,b\n" + longValue + ",\"" + longValue + "\"\n", 1);

    assertThat(sink.records).containsExactly(List.of(longValue, longValue));
  }

  @Test
  void givenHeaderOnEveryPage_whenLaterPagesParsed_thenColumnsAreAnnouncedOnlyOnce()
      throws IOException {
    parse("a,b\n1,2\n", 1);
    parse("a,b\n3,4\n", 2);

    assertThat(sink.announcements).hasSize(1);
    assertThat(sink.records).containsExactly(List.of("1", "2"), List.of("3", "4"));
  }

  @Test
  void givenLaterPageWhoseHeaderAddsColumnsAtTheEnd_whenParsed_thenTheWiderListIsAnnounced()
      throws IOException {
    parse("a,b\n1,2\n", 1);
    parse("a,b,c\n3,4,5\n", 2);
    parse("a,b,c\n6,7,8\n", 3);

    assertThat(sink.announcements).containsExactly(List.of("a", "b"), List.of("a", "b", "c"));
    assertThat(sink.records)
        .containsExactly(List.of("1", "2"), List.of("3", "4", "5"), List.of("6", "7", "8"));
    assertThatThrownBy(() -> parse("a,b\n9,9\n", 4))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("may only add columns at the end");
  }

  @Test
  void givenLaterPageWithOtherHeader_whenParsed_thenMalformedNamesPageAndLine() throws IOException {
    parse("a,b\n1,2\n", 1);

    assertThatThrownBy(() -> parse("a,c\n3,4\n", 2))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 2, line 1:")
        .hasMessageContaining("[a, c]");
  }

  @Test
  void givenUnterminatedQuote_whenParsed_thenMalformedNamesTheLineItOpenedOn() {
    assertThatThrownBy(() -> parse("a,b\n1,2\n3,\"open\nstill open\n", 4))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage("page 4, line 3: quoted field is not closed before the end of the page");
  }

  @Test
  void givenQuoteInsideUnquotedField_whenParsed_thenMalformed() {
    assertThatThrownBy(() -> parse("a,b\n1,2\n3,ab\"c\n", 1))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage("page 1, line 3: quote inside an unquoted field");
  }

  @Test
  void givenTextAfterClosingQuote_whenParsed_thenMalformed() {
    assertThatThrownBy(() -> parse("a\n\"x\"y\n", 1))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage("page 1, line 2: text after a closing quote");
  }

  @Test
  void givenRecordLongerThanHeader_whenParsed_thenMalformed() {
    assertThatThrownBy(() -> parse("a,b\n1,2\n1,2,3\n", 7))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage("page 7, line 3: record 2 has 3 fields, the header 2");
  }

  @Test
  void givenNoHeader_whenParsed_thenColumnsAreGeneratedAndFirstLineIsData() throws IOException {
    CsvPageParser headerless = new CsvPageParser(',', '"', false);

    headerless.parse(new StringReader("1,2\n3,4\n"), 1, sink);

    assertThat(sink.columns()).containsExactly("_c0", "_c1");
    assertThat(sink.records).containsExactly(List.of("1", "2"), List.of("3", "4"));
  }

  @Test
  void givenEmptyPageWhereHeaderExpected_whenParsed_thenMalformed() {
    assertThatThrownBy(() -> parse("", 3))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 3, line 1: the page is empty")
        .hasMessageContaining("format.header");
    assertThat(sink.announcements).isEmpty();
  }

  @Test
  void givenBlankLinesOnlyOnALaterPageWhereHeaderExpected_whenParsed_thenMalformed() {
    assertThatThrownBy(() -> parse("\r\n\n", 2))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("the page is empty");
  }

  @Test
  void givenAnEmptyFirstPage_whenParsed_thenAnEmptyResultNotAFailure() throws IOException {
    // Some providers answer a result of zero rows with no body at all.
    assertThat(parse("", 1).records()).isZero();
    assertThat(sink.announcements).isEmpty();
  }

  @Test
  void givenEmptyPageWithoutHeader_whenParsed_thenNoRecordsAndNoColumns() throws IOException {
    CsvPageParser headerless = new CsvPageParser(',', '"', false);

    assertThat(headerless.parse(new StringReader(""), 1, sink).records()).isZero();
    assertThat(sink.announcements).isEmpty();
  }

  @Test
  void givenHeaderOnlyPage_whenParsed_thenNoRecordsAndColumnsAnnounced() throws IOException {
    assertThat(parse("a,b\n", 1).records()).isZero();
    assertThat(sink.announcements).containsExactly(List.of("a", "b"));
  }
}
