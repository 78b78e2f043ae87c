package dev.sluice.activities.formats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.activities.parquet.RecordSink;
import dev.sluice.activities.parquet.Utf8Text;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The UTF-8 byte tokenizer (pages read from bytes) gives exactly what the tokenizer over decoded
 * text gives: the same records, and for bad input the same message (line, record, column, byte
 * offset), whatever the value lengths, line breaks, quotes, byte-order marks, damaged bytes and
 * read sizes.
 */
class Utf8CsvTokenizerTest {
  private static final String[] PIECES = {
    "a", "plain ascii text", "é", "ß", "€", "中文", "😀", ",", ",", ",", "\n", "\r\n", "\r", "\"",
    "\"\"", "\"x,\ny\"", "\uFEFF", " ", "long ".repeat(20), "中文😀".repeat(10)
  };

  @Test
  void givenRandomPages_whenReadAsBytes_thenSameRecordsAndErrorsAsDecodedText() throws IOException {
    Random random = new Random(10);
    for (int round = 0; round < 4000; round++) {
      StringBuilder text = new StringBuilder(round % 5 == 0 ? "\uFEFF" : "");
      if (round % 11 == 0) {
        text.append('\uFEFF');
      }
      text.append("a,b,c\n");
      int parts = random.nextInt(60);
      for (int p = 0; p < parts; p++) {
        text.append(PIECES[random.nextInt(PIECES.length)]);
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      if (round % 3 == 0 && bytes.length > 0) {
        int[] bad = {0x80, 0xbf, 0xc0, 0xc1, 0xe0, 0xed, 0xf0, 0xf4, 0xf5, 0xff};
        bytes[random.nextInt(bytes.length)] = (byte) bad[random.nextInt(bad.length)];
      }
      int maxChars = round % 4 == 0 ? 1 + random.nextInt(64) : 1 << 20;
      int chunk = round % 2 == 0 ? 1 + random.nextInt(7) : 1 << 16; // boundaries; whole words
      Result decoded = parsed(bytes, maxChars, chunk, false);
      assertThat(parsed(bytes, maxChars, chunk, true))
          .as("bytes %s, limit %d", java.util.Arrays.toString(bytes), maxChars)
          .isEqualTo(decoded);
      assertThat(parsedAsUtf8Text(bytes, maxChars, chunk))
          .as("as Utf8Text: bytes %s, limit %d", java.util.Arrays.toString(bytes), maxChars)
          .isEqualTo(decoded);
    }
  }

  /**
   * The byte tokenizer searches eight bytes at a time: it must find a delimiter, quote, CR, LF or
   * CRLF at every offset of a word and across words and reads. One special after 0 to 200
   * filler characters (one or two bytes each), the page read whole or in reads of 1 to 100 bytes;
   * then pages whose fields take every length from 0 to 130, so that fields end at every position
   * of a word, with quoted fields between them that move where the next search starts.
   */
  @Test
  void givenSpecialAtEveryOffset_whenReadAsBytes_thenSameRecordsAndErrorsAsDecodedText()
      throws IOException {
    String[] specials = {",", "\"", "\n", "\r", "\r\n"};
    for (String filler : new String[] {"x", "é"}) {
      for (String special : specials) {
        for (int n = 0; n <= 200; n++) {
          String text = "a,b\ny," + filler.repeat(n) + special + "z\n1,2\n";
          byte[] page = text.getBytes(StandardCharsets.UTF_8);
          int chunk = n % 2 == 0 ? 1 << 16 : 1 + n % 100;
          Result decoded = parsed(page, 1 << 20, chunk, false);
          assertThat(decoded.records().isEmpty() && decoded.error() == null).isFalse();
          assertThat(parsed(page, 1 << 20, chunk, true))
              .as("%s after %d of %s", special.replace("\r", "CR").replace("\n", "LF"), n, filler)
              .isEqualTo(decoded);
        }
      }
    }
    String[] ends = {",", ",", "\n", "\r", "\r\n", ",\"q,\"\"\n\","};
    String header = "c,".repeat(400) + "c\n"; // more columns than any record has fields
    Random random = new Random(14);
    for (int round = 0; round < 300; round++) {
      StringBuilder text = new StringBuilder(header);
      for (int length = 0; length <= 130; length++) {
        text.append((round % 3 == 0 ? "é" : "v").repeat(length));
        text.append(ends[random.nextInt(ends.length)]);
      }
      byte[] page = text.toString().getBytes(StandardCharsets.UTF_8);
      int chunk = round % 2 == 0 ? 1 << 16 : 1 + random.nextInt(200);
      Result decoded = parsed(page, 1 << 20, chunk, false);
      assertThat(decoded.error()).isNull();
      assertThat(decoded.records()).hasSizeGreaterThan(10);
      assertThat(parsed(page, 1 << 20, chunk, true)).isEqualTo(decoded);
    }
  }

  @Test
  void givenValuesLongerThanOneBuffer_whenReadAsBytes_thenSameRecordsAsDecodedText()
      throws IOException {
    StringBuilder text = new StringBuilder("id,body\n");
    for (int i = 0; i < 40; i++) {
      String body = ("Zoë 中文 😀 " + i + " ").repeat(1500 + 301 * i);
      text.append(i).append(',').append(i % 2 == 0 ? body : '"' + body + "\"\"\n\"").append('\n');
    }
    byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
    Result bytesRead = parsed(bytes, 1 << 20, 70_001, true);
    assertThat(bytesRead.records()).hasSize(40);
    assertThat(bytesRead).isEqualTo(parsed(bytes, 1 << 20, 70_001, false));
    // A limit between a long value's characters and its bytes: the limit counts characters.
    String value = "中".repeat(1000);
    byte[] wide = ("v\n" + value + "\n\"" + value + "\"\n").getBytes(StandardCharsets.UTF_8);
    assertThat(parsed(wide, 1000, 64, true).records())
        .containsExactly(List.of(value), List.of(value));
    assertThat(parsed(wide, 999, 64, true).error())
        .startsWith("page 1, line 2: record 1, column 'v': the value is longer");
  }

  @Test
  void givenSinkTakingUtf8Text_whenParsed_thenDataValuesAreTheirBytesAndHeaderAndEmptyStayStrings()
      throws IOException {
    byte[] page = "naïve,b\nZoë 中文 😀,\"\"\n\"q,\"\"x\",\n".getBytes(StandardCharsets.UTF_8);
    List<List<Object>> raw = new java.util.ArrayList<>();
    new CsvPageParser(',', '"', true)
        .parse(
            new ByteArrayInputStream(page),
            1,
            new RecordSink() {
              @Override
              public boolean takesUtf8Text() {
                return true;
              }

              @Override
              public void columns(List<String> names) {
                raw.add(List.copyOf(names));
              }

              @Override
              public void record(Object[] values) {
                raw.add(java.util.Arrays.asList(values));
              }
            });
    assertThat(raw.get(0)).containsExactly("naïve", "b");
    assertThat(raw.get(1).get(0)).isInstanceOf(Utf8Text.class).hasToString("Zoë 中文 😀");
    assertThat(raw.get(1).get(1)).isEqualTo(""); // a quoted empty value: the String ""
    assertThat(raw.get(2).get(0)).isInstanceOf(Utf8Text.class).hasToString("q,\"x");
    assertThat(raw.get(2).get(1)).isNull(); // an empty unquoted value: null
  }

  private record Result(List<List<Object>> records, String error) {}

  /**
   * {@link #parsed} as bytes for a sink that takes {@link Utf8Text}: each such value as its text,
   * a non-empty String (which the tokenizer should have handed over as bytes) marked.
   */
  private static Result parsedAsUtf8Text(byte[] bytes, int maxChars, int chunk)
      throws IOException {
    CsvPageParser parser =
        CsvPageParser.builder()
            .text(new PageText(StandardCharsets.UTF_8, maxChars, maxChars + "B"))
            .allowShortRecords(true)
            .build();
    List<List<Object>> records = new java.util.ArrayList<>();
    RecordSink sink =
        new RecordSink() {
          @Override
          public void columns(List<String> names) {}

          @Override
          public boolean takesUtf8Text() {
            return true;
          }

          @Override
          public void record(Object[] values) {
            List<Object> record = new java.util.ArrayList<>();
            for (Object value : values) {
              record.add(
                  value instanceof Utf8Text u
                      ? u.toString()
                      : value instanceof String s && !s.isEmpty() ? "a String: " + s : value);
            }
            records.add(record);
          }
        };
    try {
      parser.parse(new Chunked(bytes, chunk), 1, sink);
      return new Result(records, null);
    } catch (MalformedDataException e) {
      return new Result(records, e.getMessage());
    }
  }

  private static Result parsed(byte[] bytes, int maxChars, int chunk, boolean asBytes)
      throws IOException {
    CsvPageParser parser =
        CsvPageParser.builder()
            .text(new PageText(StandardCharsets.UTF_8, maxChars, maxChars + "B"))
            .allowShortRecords(true)
            .build();
    CollectingSink sink = new CollectingSink();
    InputStream in = new Chunked(bytes, chunk);
    try {
      if (asBytes) {
        parser.parse(in, 1, sink);
      } else {
        parser.parse(new DecodingReader(in, StandardCharsets.UTF_8), 1, sink);
      }
      return new Result(sink.records, null);
    } catch (MalformedDataException e) {
      return new Result(sink.records, e.getMessage());
    }
  }

  /** Hands out at most {@code chunk} bytes per read, as a network body may. */
  private static final class Chunked extends ByteArrayInputStream {
    private final int chunk;

    Chunked(byte[] bytes, int chunk) {
      super(bytes);
      this.chunk = chunk;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      return super.read(b, off, Math.min(len, chunk));
    }
  }
}
