package dev.sluice.activities.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.FormatSpec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a CSV page must be before its rows count as data: strictly decoded bytes, the declared
 * columns in its header, whole records, bounded values and a media type that can be CSV.
 */
class CsvPageParserStrictnessTest {
  private final CollectingSink sink = new CollectingSink();

  private static InputStream bytes(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return new ByteArrayInputStream(all);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void givenInvalidUtf8_whenParsed_thenMalformedNamingPageLineAndByteOffset() {
    // "Id,Name\n1,Ada\n2,Ren" then 0xE9 (é in Latin-1, invalid alone in UTF-8) at byte offset 19.
    InputStream page = bytes(utf8("Id,Name\n1,Ada\n2,Ren"), new byte[] {(byte) 0xE9}, utf8("e\n"));
    CsvPageParser parser = new CsvPageParser(',', '"', true);

    assertThatThrownBy(() -> parser.parse(page, 4, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 4, line 3: invalid UTF-8 at byte offset 19 (0xe9)")
        .hasMessageContaining("format.charset");
    assertThat(sink.records)
        .as("the rows before the bad line")
        .containsExactly(List.of("1", "Ada"));
  }

  @Test
  void givenInvalidUtf8BeyondTheFirstBuffer_whenParsed_thenOffsetCountsEveryByteBefore() {
    String rows = "x\n" + "abcdefghi\n".repeat(20_000); // 200,002 bytes, past several buffers
    InputStream page = bytes(utf8(rows), new byte[] {'o', (byte) 0xFF, '\n'});

    assertThatThrownBy(() -> new CsvPageParser(',', '"', true).parse(page, 1, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 1, line 20002: invalid UTF-8 at byte offset 200003 (0xff)");
  }

  @Test
  void givenTruncatedMultiByteCharacterAtTheEnd_whenParsed_thenMalformed() {
    InputStream page = bytes(utf8("x\nZo"), new byte[] {(byte) 0xC3});

    assertThatThrownBy(() -> new CsvPageParser(',', '"', true).parse(page, 1, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("invalid UTF-8 at byte offset 4 (0xc3)");
  }

  @Test
  void givenEmptyBody_whenParsedFromBytes_thenMalformedAsAnEmptyPage() {
    assertThatThrownBy(() -> new CsvPageParser(',', '"', true).parse(bytes(), 3, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 3, line 1: the page is empty");
  }

  @Test
  void givenHeaderOnlyPageFromBytes_whenParsed_thenNoRecords() throws IOException {
    assertThat(new CsvPageParser(',', '"', true).parse(bytes(utf8("a,b")), 1, sink).records())
        .isZero();
    assertThat(sink.announcements).containsExactly(List.of("a", "b"));
  }

  @Test
  void givenLatin1PageAndCharsetNamed_whenParsed_thenDecodedWithIt() throws IOException {
    InputStream page = bytes(utf8("name\nRen"), new byte[] {(byte) 0xE9}, utf8("e\n"));
    PageParser parser =
        PageParsers.forFormat(
            new FormatSpec.Csv(null, null, null, "ISO-8859-1", null, null, null),
            new com.fasterxml.jackson.core.JsonFactory(),
            java.util.Set.of());

    parser.parse(page, 1, sink);

    assertThat(sink.records).containsExactly(List.of("Renée"));
  }

  @Test
  void givenHeaderLackingDeclaredColumns_whenParsed_thenMalformedNamingThem() {
    // What an HTML error page served with 200 looks like to a CSV parser.
    CsvPageParser parser =
        CsvPageParser.builder().declaredColumns(List.of("Id", "Email", "Name")).build();
    InputStream page = bytes(utf8("<html>\n<body>Service unavailable</body>\n</html>\n"));

    assertThatThrownBy(() -> parser.parse(page, 1, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith(
            "page 1, line 1: the header row [<html>] lacks the declared columns [Id, Email, Name]")
        .hasMessageContaining("format.allowMissingColumns");
    assertThat(sink.announcements).isEmpty();
  }

  @Test
  void givenHeaderWithDeclaredColumnsAmongOthers_whenParsed_thenAccepted() throws IOException {
    CsvPageParser parser = CsvPageParser.builder().declaredColumns(List.of("Email", "Id")).build();

    parser.parse(bytes(utf8("Id,Name,Email\n1,Ada,a@x\n")), 1, sink);

    assertThat(sink.records).containsExactly(List.of("1", "Ada", "a@x"));
  }

  @Test
  void givenMissingColumnsAllowed_whenHeaderLacksThem_thenAccepted() throws IOException {
    CsvPageParser parser =
        CsvPageParser.builder()
            .declaredColumns(List.of("Id", "Email"))
            .allowMissingColumns(true)
            .build();

    parser.parse(bytes(utf8("Id\n1\n")), 1, sink);

    assertThat(sink.records).containsExactly(List.of("1"));
  }

  @Test
  void givenValueLongerThanTheLimit_whenParsed_thenMalformedNamingRecordAndColumn() {
    CsvPageParser parser =
        CsvPageParser.builder().text(new PageText(StandardCharsets.UTF_8, 1024, "1KB")).build();
    String big = "x".repeat(1025);
    InputStream page = bytes(utf8("Id,Body\n1,short\n2," + big + "\n"));

    assertThatThrownBy(() -> parser.parse(page, 5, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage(
            "page 5, line 3: record 2, column 'Body': the value is longer than"
                + " format.maxFieldSize (1KB, 1024 characters)");
  }

  @Test
  void givenQuotedValueLongerThanALimitBelow256Chars_whenParsedAsText_thenMalformed() {
    // The char buffer started at 256 chars and checked the limit only when it grew.
    CsvPageParser parser =
        CsvPageParser.builder().text(new PageText(StandardCharsets.UTF_8, 10, "10B")).build();

    assertThatThrownBy(
            () -> parser.parse(new StringReader("a,b\n1,\"" + "y".repeat(11) + "\"\n"), 1, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 1, line 2: record 1, column 'b': the value is longer");
  }

  @Test
  void givenQuotedValueLongerThanTheLimitAcrossBuffers_whenParsed_thenMalformed() {
    CsvPageParser parser =
        CsvPageParser.builder()
            .text(new PageText(StandardCharsets.UTF_8, 100_000, "100000B"))
            .build();
    InputStream page = bytes(utf8("a,b\n1,\"" + "y\n".repeat(60_000) + "\"\n"));

    assertThatThrownBy(() -> parser.parse(page, 1, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith("page 1, line 2: record 1, column 'b': the value is longer");
  }

  @Test
  void givenHundredMebibyteValue_whenParsedWithTheDefaultLimit_thenFailsWithoutHoldingIt() {
    // A 100 MiB field streamed, never materialized: the parser stops at the 32MB default, having
    // held at most 32M chars. (The old parser built the whole value, then a String of it.)
    long size = 100L << 20;
    InputStream page = new HugeFieldPage("Id,Body\n1,", size);

    assertThatThrownBy(() -> new CsvPageParser(',', '"', true).parse(page, 1, sink))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("record 1, column 'Body'")
        .hasMessageContaining("format.maxFieldSize (32MB");
  }

  @Test
  void givenHtmlMediaType_whenChecked_thenMalformedNamingPageRequestAndType() {
    CsvPageParser parser = new CsvPageParser(',', '"', true);

    assertThatThrownBy(
            () ->
                parser.checkMediaType(
                    2, "GET https://api.example.com:443/export", "text/html; charset=utf-8"))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith(
            "page 2: GET https://api.example.com:443/export answered media type text/html,"
                + " which is not csv");
  }

  @Test
  void givenJsonMediaType_whenCheckedForCsv_thenMalformed() {
    assertThatThrownBy(
            () ->
                new CsvPageParser(',', '"', true)
                    .checkMediaType(1, "GET http://h:80/p", "application/problem+json"))
        .isInstanceOf(MalformedDataException.class)
        .hasMessageContaining("application/problem+json");
  }

  @Test
  void givenAbsentGenericOrCsvMediaType_whenChecked_thenAccepted() {
    CsvPageParser parser = new CsvPageParser(',', '"', true);

    parser.checkMediaType(1, "GET http://h:80/p", null);
    parser.checkMediaType(1, "GET http://h:80/p", "text/csv;charset=UTF-8");
    parser.checkMediaType(1, "GET http://h:80/p", "application/octet-stream");
    parser.checkMediaType(1, "GET http://h:80/p", "text/plain");
    parser.checkMediaType(1, "GET http://h:80/p", "application/gzip");
  }

  /** A CSV page whose last field is {@code size} bytes of 'z', generated as it is read. */
  private static final class HugeFieldPage extends InputStream {
    private final byte[] prefix;
    private final long size;
    private long position;

    HugeFieldPage(String prefix, long size) {
      this.prefix = utf8(prefix);
      this.size = size;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
      long total = prefix.length + size;
      if (position >= total) {
        return -1;
      }
      int n = (int) Math.min(length, total - position);
      for (int i = 0; i < n; i++, position++) {
        target[offset + i] = position < prefix.length ? prefix[(int) position] : (byte) 'z';
      }
      return n;
    }
  }
}
