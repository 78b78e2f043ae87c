package dev.sluice.activities.formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import dev.sluice.activities.parquet.RecordSink;
import dev.sluice.activities.parquet.Utf8Text;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * UTF-8 NDJSON pages are parsed as bytes (Jackson's byte parser over a {@link CheckedUtf8Stream}),
 * with the char parser over decoded text as the reference for every error. Both ways must give the
 * same column lists, the same records, or the same error: its line, its message, and Jackson's own
 * exception under it (whose message names line and column).
 */
class NdjsonPageParserBytesTest {
  /** Bad inputs of every kind; each is also tried after good records, on their line and not. */
  private static final String[] BAD_LINES = {
    // truncated
    "{\"a\":1", "{\"a\":\"x", "{\"a\":", "{\"a\"", "{\"", "{", "{\"a\":tr", "{\"a\":12.", "{\"a\":-",
    "{\"a\":\"é", "{\"é",
    // non-ASCII where a token should be
    "{\"a\":é}", "{é:1}", "{\"a\":1,é}", "é{\"a\":1}", "{\"a\":1}é", "{\"a\":1} é", "{\"a\":中}",
    "{\"a\":😀}", "€", "{\"a\":tru€}", "{\"a\":1é}", "{\"a\":\"x\"é}", "{\"a\":nul中}", "{\"a\":-é}",
    "{\"a\":1.é}", "{\"a\":1eé}", "{\"a\" é 1}", "{\"a\":[é]}", "{\"a\":{é}}", "\u00a0{\"a\":1}",
    "{\"a\":\u2028}", "{\"a\":fals😀}",
    // duplicate keys (not errors here: whatever the char parser makes of them)
    "{\"a\":1,\"a\":2}", "{\"a\":\"x\",\"b\":1,\"a\":\"y\"}", "{\"k\":1,\"k\":\"s\"}",
    "{\"k\":\"v\",\"k\":null}", "{\"k\":null,\"k\":\"v\"}",
    // bad escapes, raw control characters
    "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"\\", "{\"\\q\":1}",
    "{\"a\":\"\\ud800\"}", "{\"a\":\"\\ude00\\ud800\"}", "{\"a\":\"x\ty\"}", "{\"a\":\"x\u0001\"}",
    "{\"a\":\"\\é\"}", "{\"a\":\"\\u00é9\"}",
    // bad numbers
    "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}", "{\"a\":1e+}", "{\"a\":+1}", "{\"a\":-}",
    "{\"a\":0x10}", "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":-Infinity}", "{\"a\":1.5e400}",
    "{\"a\":123456789012345678901234567890}", "{\"a\":1_0}", "{\"a\":--1}", "{\"a\":1-1}",
    "{\"a\":-0}", "{\"a\":-0.0e-0}", "{\"a\":1" + "0".repeat(1200) + "}", "{\"a\":00}",
    "{\"a\":9223372036854775808}", "{\"a\":-9223372036854775809}", "{\"a\":1E5}", "{\"a\":1.0E+2}",
    // trailing garbage, root values that are not objects
    "{\"a\":1} x", "{\"a\":1}}", "{\"a\":1}]", "{\"a\":1},", "{\"a\":1} {\"b\":2}", "{\"a\":1}1",
    "{\"a\":1}\"s\"", "{\"a\":1}null", "{\"a\":1} // c", "{\"a\":1} /* c */", "{\"a\":1}#",
    "[1,2]", "\"x\"", "1", "true", "null", "]", "}", ",", ":", "{}{}", "{}[]",
    // nested where flat is expected, and other syntax errors
    "{\"a\":{\"b\":1}}", "{\"a\":[1,2]}", "{\"a\":[1,{\"b\":\"é\"}]}", "{\"a\":{\"b\":}}",
    "{\"a\":[1,}", "{\"a\":1,}", "{,\"a\":1}", "{\"a\" 1}", "{\"a\"::1}", "{'a':1}", "{a:1}",
    "{\"a\":1 \"b\":2}", "{\"a\":1,\"a\":2}", "{\"a\":[" + "[".repeat(600) + "]}", "{}", "{ }",
    "{\"a\":true,\"b\":false,\"c\":null}", "{\"a\":truex}", "{\"a\":nulll}", "{\"a\":True}",
    // NUL, byte-order marks, white space
    "\u0000{}", "{\"a\":1}\u0000", "\uFEFF{\"a\":1}", "\uFEFF\uFEFF{\"a\":1}", "{\"a\":\uFEFF1}",
    "\uFEFF", "", " ", "\t{\"a\" :\t1 }", "\r", "\r\n", "\n\n\n{\"a\":1}",
  };

  /** Invalid UTF-8: lone continuation, overlong, surrogate, above U+10FFFF, truncated. */
  private static final byte[][] BAD_BYTES = {
    {(byte) 0x80},
    {(byte) 0xbf},
    {(byte) 0xc0, (byte) 0xaf},
    {(byte) 0xc1, (byte) 0xbf},
    {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
    {(byte) 0xe0, (byte) 0x9f, (byte) 0xbf},
    {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
    {(byte) 0xed, (byte) 0xbf, (byte) 0xbf},
    {(byte) 0xf0, (byte) 0x80, (byte) 0x80, (byte) 0xaf},
    {(byte) 0xf0, (byte) 0x8f, (byte) 0xbf, (byte) 0xbf},
    {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
    {(byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
    {(byte) 0xff},
    {(byte) 0xfe},
    {(byte) 0xe9},
    {(byte) 0xc3},
    {(byte) 0xe2, (byte) 0x82},
    {(byte) 0xf0, (byte) 0x9f, (byte) 0x98},
    {(byte) 0xef, (byte) 0xbb},
  };

  /** Lines that come before a bad one: ASCII, two- three- and four-byte characters, escapes. */
  private static final String[] GOOD_BEFORE = {
    "", "{\"k\":\"v\"}\n", "{\"k\":\"é😀中\",\"n\":1}\n", "{\"k\":\"é😀中\"} ", "{\"é\":\"ü\"}\r\n",
    "{\"k\":\"x\"}\r", "\uFEFF{\"k\":1}\n", "{\"k\":\"\\u00e9\\n\"}\n\n  ",
    "{\"a\":1,\"b\":\"x\"}\n{\"b\":\"y\",\"a\":2,\"c\":true}\n",
  };

  private static final String[] GOOD_AFTER = {"", "\n", "\n{\"k\":\"after\"}\n", "\r\n{}"};

  @Test
  void givenBadLinesOfEveryKind_whenParsedAsBytesAndDecoded_thenSameRecordsOrSameError() {
    int errors = 0;
    int cases = 0;
    for (String before : GOOD_BEFORE) {
      for (String after : GOOD_AFTER) {
        for (String bad : BAD_LINES) {
          errors += agree((before + bad + after).getBytes(StandardCharsets.UTF_8), cases++);
        }
        for (byte[] badBytes : BAD_BYTES) {
          // In a key, in a string, between tokens, in a number, in a literal, after a record on its
          // line, at a line's start, where the line ends.
          String[] around = {
            "{\"a@\":1}", "{\"a\":\"x@y\"}", "{\"a\":@1}", "{\"a\":1@2}", "{\"a\":tr@ue}",
            "{\"a\":1}@", "@{\"a\":1}", "{\"a\":1}\n@", "{\"a\":\"é@\"}", "{\"a\"@:1}", "@",
          };
          for (String shape : around) {
            errors += agree(splice(before + shape + after, badBytes), cases++);
          }
        }
      }
    }
    // The cases must exercise the errors much more than the records.
    assertThat(errors).isGreaterThan(cases * 3 / 4);
  }

  @Test
  void givenBadLinesAfterABufferOfRecords_whenParsed_thenSameErrorAtTheSameLineAndColumn() {
    // 70,000+ bytes of records before: past CheckedUtf8Stream's and Jackson's buffers.
    String many = "{\"k\":\"é123\",\"n\":1}\n".repeat(4000);
    String oneLine = "{\"k\":\"é😀\"} ".repeat(7000); // many records on one long line
    int cases = 0;
    for (String before : new String[] {many, oneLine, many + oneLine}) {
      for (int i = 0; i < BAD_LINES.length; i += 3) {
        agree((before + BAD_LINES[i] + "\n").getBytes(StandardCharsets.UTF_8), cases++);
      }
      for (byte[] badBytes : BAD_BYTES) {
        agree(splice(before + "{\"a\":\"x@\"}\n", badBytes), cases++);
        agree(splice(before + "{\"a\":1}@", badBytes), cases++);
      }
    }
  }

  @Test
  void givenNestedRecordsAmongFlatOnes_whenParsed_thenTheScannerAndJacksonTakeTurnsAndAgree() {
    // The scanner hands over to Jackson at each nested record or escaped key, and goes on after.
    StringBuilder page = new StringBuilder();
    for (int r = 0; r < 6000; r++) {
      page.append(
          r % 7 == 3
              ? "{\"k\":\"é\",\"n\":{\"x\":[1,2]}}\n"
              : r % 50 == 9
                  ? "{\"\\u006b\":\"x\",\"new" + r + "\":1}\r\n"
                  : r % 500 < 40
                      ? "{\"n\":[" + r + "]} "
                      : "{\"k\":\"v" + r + "\",\"n\":" + r + "}\n");
    }
    int round = 0;
    for (String end : new String[] {"", "{\"k\":é}", "{\"k\":1", "\n{\"n\":{}}"}) {
      agree((page + end).getBytes(StandardCharsets.UTF_8), round++);
      agree(splice(page + "{\"k\":\"@\"}", BAD_BYTES[round]), round++);
    }
  }

  @Test
  void givenRandomlyMutatedPages_whenParsedAsBytesAndDecoded_thenSameRecordsOrSameError() {
    Random random = new Random(14);
    int errors = 0;
    for (int round = 0; round < 4000; round++) {
      errors += agree(mutate(ndjson(random), random), round, random);
    }
    // The pages must exercise the errors as much as the records.
    assertThat(errors).isBetween(1200, 3300);
  }

  @Test
  void givenSeveralPagesWithErrors_whenParsedByOneParserEachWay_thenColumnsStayTheSame()
      throws IOException {
    // An error part-way through a record that introduced columns: the byte path forgets them, the
    // char path announces them; the next page must see the same columns both ways.
    Random random = new Random(3);
    for (int round = 0; round < 300; round++) {
      PageText text = text(random);
      NdjsonPageParser bytes = bytesParser(text, random.nextBoolean());
      NdjsonPageParser chars = new NdjsonPageParser(new JsonRecordReader(new JsonFactory(), text,
          false, false));
      CollectingSink bytesSink = new CollectingSink();
      CollectingSink charsSink = new CollectingSink();
      for (int page = 1; page <= 4; page++) {
        byte[] body = mutate(ndjson(random), random);
        long seed = random.nextLong();
        String a =
            outcome(bytes, body, new ChoppyStream(body, new Random(seed)), bytesSink, bytesSink);
        String b =
            outcome(chars, body, new ChoppyStream(body, new Random(seed)), charsSink, charsSink);
        assertThat(withoutColumn(a)).as("round %d page %d: %s", round, page, printable(body))
            .isEqualTo(withoutColumn(b));
      }
      assertThat(bytesSink.announcements).isEqualTo(charsSink.announcements);
      assertThat(bytesSink.records).isEqualTo(charsSink.records);
    }
  }

  @Test
  void givenNonAsciiWhereATokenShouldBe_whenJacksonsByteParserReadsIt_thenItsOwnErrorMisleads()
      throws IOException {
    // Why the byte path defers every error to the char parser: this is Jackson's own.
    JsonRecordReader records = new JsonRecordReader(new JsonFactory(), PageText.DEFAULTS, false);
    byte[] page = "{\"a\":é}\n".getBytes(StandardCharsets.UTF_8);
    try (JsonParser parser =
        records.openBytes(new CheckedUtf8Stream(new ByteArrayInputStream(page)))) {
      assertThatThrownBy(
              () -> {
                while (parser.nextToken() != null) {}
              })
          .hasMessageContaining("Invalid UTF-8 start byte 0xa9");
    }
    assertThatThrownBy(
            () ->
                new NdjsonPageParser(new JsonFactory())
                    .parse(new ByteArrayInputStream(page), 1, new CollectingSink()))
        .isInstanceOf(MalformedDataException.class)
        .hasMessage(
            "page 1, line 1: invalid JSON: Unrecognized token 'é': was expecting (JSON String,"
                + " Number, Array, Object or token 'null', 'true' or 'false')");
  }

  @Test
  void givenUtf8WithoutNestedValues_whenReaderMade_thenItReadsBytes() {
    assertThat(new JsonRecordReader(new JsonFactory(), PageText.DEFAULTS, false).readsUtf8Bytes())
        .isTrue();
    assertThat(new JsonRecordReader(new JsonFactory(), PageText.DEFAULTS, true).readsUtf8Bytes())
        .isFalse();
    assertThat(
            new JsonRecordReader(
                    new JsonFactory(),
                    new PageText(StandardCharsets.ISO_8859_1, 100, "100"),
                    false)
                .readsUtf8Bytes())
        .isFalse();
  }

  /** Parses the page both ways, whole and in random short reads; 1 if it is an error. */
  private static int agree(byte[] page, int round) {
    return agree(page, round, new Random(round));
  }

  private static int agree(byte[] page, int round, Random random) {
    PageText text = text(random);
    long seed = random.nextLong();
    String decoded = outcome(charsParser(text), page, new ChoppyStream(page, new Random(seed)));
    // The scanner to a sink of Strings, Jackson's byte parser alone, the scanner to a sink that
    // takes Utf8Text (its values read back as their text).
    for (int way = 0; way < 3; way++) {
      boolean scan = way != 1;
      CollectingSink collected = new CollectingSink();
      RecordSink to = way == 2 ? new TakingUtf8Text(collected) : collected;
      String bytes =
          outcome(
              bytesParser(text, scan),
              page,
              new ChoppyStream(page, new Random(seed)),
              collected,
              to);
      if (!bytes.equals(decoded)) {
        // Jackson's char parser names a column that depends on where its reads of the text end,
        // for some errors in numbers: it is exact only when that does not change it.
        assertThat(withoutColumn(bytes))
            .as("round %d, way %d: %s", round, way, printable(page))
            .isEqualTo(withoutColumn(decoded));
        String whole = outcome(charsParser(text), page, new ByteArrayInputStream(page));
        String byByte = outcome(charsParser(text), page, new ChoppyStream(page, null));
        assertThat(whole.equals(byByte) && whole.equals(decoded))
            .as("round %d, the char parser's column depends on its reads: %s", round,
                printable(page))
            .isFalse();
      }
    }
    return decoded.startsWith("error") ? 1 : 0;
  }

  private static NdjsonPageParser bytesParser(PageText text, boolean scan) {
    return new NdjsonPageParser(new JsonRecordReader(new JsonFactory(), text, false), scan);
  }

  private static NdjsonPageParser charsParser(PageText text) {
    return new NdjsonPageParser(new JsonRecordReader(new JsonFactory(), text, false, false));
  }

  private static String withoutColumn(String outcome) {
    return outcome.replaceAll("column: [0-9]+", "column: ?");
  }

  /** {@code text} with {@code bad} in place of its {@code @}. */
  private static byte[] splice(String text, byte[] bad) {
    byte[] good = text.getBytes(StandardCharsets.UTF_8);
    int at = text.substring(0, text.indexOf('@')).getBytes(StandardCharsets.UTF_8).length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(good, 0, at);
    out.write(bad, 0, bad.length);
    out.write(good, at + 1, good.length - at - 1);
    return out.toByteArray();
  }

  private static PageText text(Random random) {
    return random.nextInt(4) == 0
        ? new PageText(StandardCharsets.UTF_8, 3 + random.nextInt(20), "small")
        : PageText.DEFAULTS;
  }

  /** Pieces of strings, escapes among them. */
  private static final String[] PIECES = {
    "a", "plain text ", "é", "ß", "€", "中文", "😀", " ", "\\n", "\\\"", "\\u00e9", "\\ud83d\\ude00"
  };

  /** What breaks the JSON rather than the bytes. */
  private static final String[] BREAKS = {
    "{", "}", "[", "]", ",", ":", "\"", "x", "é", "😀", "tru", "-", "1e", "\u0000", "\\", "\n",
    "\r", "/", ".", "0", "\uFEFF", "\t", " "
  };

  /**
   * Records of a few keys in changing order, values of every JSON type, varied line ends; now and
   * then several records on a line, or thousands of records.
   */
  private static byte[] ndjson(Random random) {
    StringBuilder page = new StringBuilder(random.nextInt(5) == 0 ? "\uFEFF" : "");
    int records = random.nextInt(25) == 0 ? 2000 + random.nextInt(2000) : random.nextInt(8);
    String[] ends = {"\n", "\r\n", "\r", "\n\n", " \n", " ", ""};
    // Flat pages (what FlatJsonScanner reads) half the time: no nested values.
    boolean flat = random.nextBoolean();
    for (int r = 0; r < records; r++) {
      page.append('{');
      int keys = random.nextInt(5);
      for (int k = 0; k < keys; k++) {
        page.append(k == 0 ? "" : random.nextBoolean() ? "," : " , ")
            .append('"')
            .append(random.nextInt(8) == 0 ? "ké" : "k" + random.nextInt(4))
            .append(random.nextInt(6) == 0 ? "\" : " : "\":")
            .append(value(random, flat ? 2 : 0, flat));
      }
      page.append('}').append(ends[random.nextInt(random.nextInt(3) == 0 ? ends.length : 3)]);
    }
    return page.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String value(Random random, int depth, boolean flat) {
    switch (random.nextInt(depth < 2 ? 8 : 6)) {
      case 0:
        return Long.toString(random.nextLong() >> random.nextInt(64));
      case 1:
        return random.nextBoolean()
            ? Double.toString(random.nextGaussian() * 1e6)
            : random.nextInt(2000) - 1000 + "." + random.nextInt(100) + "e" + random.nextInt(20);
      case 2:
        return random.nextBoolean() ? "true" : "false";
      case 3:
        return "null";
      case 4:
      case 5:
        StringBuilder s = new StringBuilder("\"");
        for (int i = random.nextInt(6); i > 0; i--) {
          s.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return s.append('"').toString();
      case 6:
        return "{\"n\":" + value(random, depth + 1, flat) + ",\"é\":" + value(random, depth + 1, flat) + "}";
      default:
        return "[" + value(random, depth + 1, flat) + ", " + value(random, depth + 1, flat) + "]";
    }
  }

  /** The page, or with bad bytes or broken JSON at a few random places (often none). */
  private static byte[] mutate(byte[] page, Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int mutations = random.nextInt(3) == 0 ? 0 : 1 + random.nextInt(2);
    int[] at = new int[mutations];
    for (int i = 0; i < mutations; i++) {
      // Near the end of the page often: truncated sequences there meet the end of input.
      at[i] =
          random.nextInt(4) == 0
              ? page.length - random.nextInt(Math.min(4, page.length + 1))
              : random.nextInt(page.length + 1);
    }
    for (int p = 0; p <= page.length; p++) {
      for (int i = 0; i < mutations; i++) {
        if (at[i] == p) {
          byte[] insert =
              random.nextBoolean()
                  ? BAD_BYTES[random.nextInt(BAD_BYTES.length)]
                  : BREAKS[random.nextInt(BREAKS.length)].getBytes(StandardCharsets.UTF_8);
          out.write(insert, 0, insert.length);
        }
      }
      if (p < page.length) {
        out.write(page[p]);
      }
    }
    byte[] mutated = out.toByteArray();
    if (mutated.length > 0 && random.nextInt(8) == 0) {
      // Cut the page anywhere, in the middle of a sequence too.
      return Arrays.copyOf(mutated, random.nextInt(mutated.length));
    }
    return mutated;
  }

  /**
   * The page's record count, column lists and records; or the error's class, line and message, and
   * the class and message (with line and column) of Jackson's exception under it.
   */
  private static String outcome(PageParser parser, byte[] page, InputStream body) {
    CollectingSink sink = new CollectingSink();
    return outcome(parser, page, body, sink, sink);
  }

  /** As {@link #outcome(PageParser, byte[], InputStream)}, parsing to {@code to} (feeds sink). */
  private static String outcome(
      PageParser parser, byte[] page, InputStream body, CollectingSink sink, RecordSink to) {
    int announcements = sink.announcements.size();
    int records = sink.records.size();
    try {
      PageSummary summary = parser.parse(body, 3, to);
      return "records "
          + summary
          + " "
          + sink.announcements.subList(announcements, sink.announcements.size())
          + " "
          + sink.records.subList(records, sink.records.size());
    } catch (MalformedDataException e) {
      Throwable cause = e.getCause();
      return "error line "
          + e.line()
          + ": "
          + e.getMessage()
          + " / "
          + (cause == null ? "" : cause.getClass().getName() + ": " + cause.getMessage())
          + " after "
          + sink.announcements.subList(announcements, sink.announcements.size())
          + " "
          + sink.records.subList(records, sink.records.size());
    } catch (IOException | RuntimeException e) {
      return "error " + e;
    }
  }

  private static String printable(byte[] page) {
    StringBuilder s = new StringBuilder();
    for (byte b : page.length > 400 ? Arrays.copyOf(page, 400) : page) {
      s.append(b >= 0x20 && b < 0x7f ? Character.toString(b) : String.format("\\x%02x", b & 0xff));
    }
    return s.toString();
  }

  /**
   * A body that returns short reads at random, so sequences fall across chunk boundaries; one byte
   * at a time without a random.
   */
  /**
   * A sink that takes {@link Utf8Text}: hands a collecting sink each record with its Utf8Text
   * values as their text, so records compare with the other ways'; refuses empty text there.
   */
  private static final class TakingUtf8Text implements RecordSink {
    private final CollectingSink to;

    TakingUtf8Text(CollectingSink to) {
      this.to = to;
    }

    @Override
    public boolean takesUtf8Text() {
      return true;
    }

    @Override
    public void columns(List<String> names) {
      to.columns(names);
    }

    @Override
    public void record(Object[] values) {
      for (int i = 0; i < values.length; i++) {
        if (values[i] instanceof Utf8Text u) {
          assertThat(u.toString()).isNotEmpty();
          values[i] = u.toString();
        }
      }
      to.record(values);
    }
  }

  private static final class ChoppyStream extends InputStream {
    private final byte[] bytes;
    private final Random random;
    private int position;

    ChoppyStream(byte[] bytes, Random random) {
      this.bytes = bytes;
      this.random = random;
    }

    @Override
    public int read() {
      return position < bytes.length ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] target, int offset, int length) {
      if (position == bytes.length) {
        return -1;
      }
      int most = random == null ? 1 : random.nextInt(4) == 0 ? 5 : 70_000;
      int n =
          Math.min(
              Math.min(length, bytes.length - position),
              1 + (most == 1 ? 0 : random.nextInt(most)));
      System.arraycopy(bytes, position, target, offset, n);
      position += n;
      return n;
    }
  }
}
