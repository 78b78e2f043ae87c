package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;

/**
 * A {@link Utf8Text} is its text: as a CharSequence, in equality, and to every column's writer,
 * which gives the same physical and typed values, and refuses with the same exception and message,
 * as for the String of that text.
 */
class Utf8TextTest {
  private static final List<String> TEXTS =
      List.of(
          "0", "-0", "+5", "-", "+", "42", "-9", "007", "123456789012345678", "-123456789012345678",
          "1234567890123456789", "9223372036854775807", "9223372036854775808",
          "-9223372036854775808", "99999999999999999999", "١٢", "4²", "1.5", "1e3", " 3.5 ",
          "-0.0", "NaN", "Infinity", "0x10", "1,5", "12.30", "1.505", "123456789012.3456", ".5",
          "5.", "true", "FALSE", "tRuE", "yes", "2026-01-01T00:00:00Z",
          "2026-02-01T00:00:00.123+01:00", "2026-01-15T10:00:00.000+0000",
          "2026-01-01T00:00:00.123456789Z", "2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z",
          "2026-01-01T00:00:00Zé", "２０２６-01-01T00:00:00Z", "2026-01-01 10:15", "2024-02-29",
          "2023-02-29", "1990-05-17", "2024-4-01", "Zoë", "東京 🚀", "naïve", "😀", "faLſe", "TRUE",
          "True ", "ｔｒｕｅ", "2026-01-01T00:00:00.1234567891Z", "2026-01-01T00:00:00+18:01",
          "2026-01-01T00:00:00+18:00", "2026-01-01T00:00:00+19:00", "2026-01-01T00:00:00-1900",
          "2026-01-01T00:00:00+01:60", "2026-01-01T00:00:00+0160", "2026-01-01T23:59:59Z",
          "2026-01-01T00:60:00Z", "2026-01-01T00:00:60Z", "2026-01-01T00:00:00.Z",
          "2026-01-01T00:00:00.123456789+01:00", "2026-01-01T00:00:00+01",
          "2026-01-01T00:00:00+01:0",
          "2026-01-01t00:00:00Z", "2026-01-01T00:00:00z", "0000-01-01", "9999-12-31", "2026-13-01",
          "2026-00-01", "2026-04-31", "2026-04-00");

  private static final List<Column> COLUMNS =
      List.of(
          Column.of("s", ColumnType.STRING),
          Column.of("n", ColumnType.LONG),
          Column.of("x", ColumnType.DOUBLE),
          Column.of("b", ColumnType.BOOLEAN),
          Column.of("t", ColumnType.TIMESTAMP),
          new Column("local", ColumnType.TIMESTAMP, 0, 0, "yyyy-MM-dd HH:mm", List.of()),
          Column.of("d", ColumnType.DATE),
          Column.decimal("a", "decimal(18,2)"),
          Column.decimal("a", "decimal(5,0)"),
          Column.decimal("big", "decimal(30,4)"));

  @Test
  void givenEveryColumnType_whenUtf8TextIsConverted_thenTheSameOutcomeAsItsString() {
    for (Column column : COLUMNS) {
      ValueWriter writer = ValueWriter.forColumn(column);
      for (String text : TEXTS) {
        assertThat(outcome(writer, utf8(text)))
            .as("%s %s", column.typeName(), text)
            .isEqualTo(outcome(writer, text));
      }
    }
  }

  @Test
  void givenRandomIsoTimestampsDatesAndDecimals_whenUtf8TextIsConverted_thenTheSameAsItsString() {
    Random random = new Random(11);
    String alphabet = "0123456789-:.TZ+ ésS"; // no exponent: 1E43210 costs BigDecimal seconds
    String[] shapes = {
      "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.123456+01:00", "2026-01-01T00:00:00.1-0500",
      "2024-02-29", "-12345678901234567.89", "123.4", "-9876543210", "true", "FaLsE"
    };
    List<ValueWriter> writers =
        List.of(
            ValueWriter.forColumn(Column.of("t", ColumnType.TIMESTAMP)),
            ValueWriter.forColumn(Column.of("d", ColumnType.DATE)),
            ValueWriter.forColumn(Column.decimal("a", "decimal(18,2)")),
            ValueWriter.forColumn(Column.decimal("a", "decimal(4,1)")),
            ValueWriter.forColumn(Column.of("n", ColumnType.LONG)),
            ValueWriter.forColumn(Column.of("b", ColumnType.BOOLEAN)));
    for (int round = 0; round < 10_000; round++) {
      StringBuilder text = new StringBuilder(shapes[random.nextInt(shapes.length)]);
      for (int k = random.nextInt(3); k > 0; k--) { // mutate a character or two
        int at = random.nextInt(text.length());
        text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
      }
      for (ValueWriter writer : writers) {
        assertThat(outcome(writer, utf8(text.toString())))
            .as("%s %s", writer.getClass().getSimpleName(), text)
            .isEqualTo(outcome(writer, text.toString()));
      }
    }
  }

  @Test
  void givenNonAsciiText_whenDecoded_thenTheTextAndEqualityAndBytesOfTheText() {
    for (String text : TEXTS) {
      Utf8Text u = utf8(text);

      assertThat(u.toString()).isEqualTo(text);
      assertThat(u).isEqualTo(utf8(text)).hasSameHashCodeAs(text);
      assertThat(u.binary().getBytes()).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
    }
    assertThat(utf8("a")).isNotEqualTo(utf8("b")).isNotEqualTo("a");
    assertThatThrownBy(() -> Utf8Text.copyOf(new byte[] {'a'}, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenARowWithUtf8Text_whenDecoded_thenEachBecomesItsStringAndTheRestStays() {
    Object[] row = {utf8("Zoë"), "", null, 5L, new BigDecimal("1.5"), utf8("x")};

    Utf8Text.decode(row);

    assertThat(row).containsExactly("Zoë", "", null, 5L, new BigDecimal("1.5"), "x");
  }

  private static Utf8Text utf8(String text) {
    byte[] bytes = ("<" + text + ">").getBytes(StandardCharsets.UTF_8);
    return Utf8Text.copyOf(bytes, 1, bytes.length - 1); // a slice, as of a page's buffer
  }

  /** Physical, typed and written values, or the exception's class and message. */
  private static List<String> outcome(ValueWriter writer, Object value) {
    List<String> outcome = new ArrayList<>();
    try {
      outcome.add(shown(writer.physical(value)));
    } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
      outcome.add(e.getClass().getName() + ": " + e.getMessage());
    }
    try {
      outcome.add(shown(writer.typed(value)));
    } catch (IllegalArgumentException | DateTimeException | ArithmeticException e) {
      outcome.add(e.getClass().getName() + ": " + e.getMessage());
    }
    return outcome;
  }

  private static String shown(Object value) {
    if (value instanceof Binary b) {
      return "binary " + java.util.Arrays.toString(b.getBytes());
    }
    return value.getClass().getSimpleName() + " " + value;
  }
}
