package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TemporalValuesTest {

  @ParameterizedTest
  @CsvSource({
    "2026-01-01T00:00:00.000Z, 2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00Z, 2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00.000+0000, 2026-01-01T00:00:00Z",
    "2026-01-01T01:30:00+01:30, 2026-01-01T00:00:00Z",
    "2026-01-03T09:00:00.5-0200, 2026-01-03T11:00:00.500Z",
    "1969-12-31T23:59:59.999999999Z, 1969-12-31T23:59:59.999999Z",
    "2026-01-01T00:00Z, 2026-01-01T00:00:00Z"
  })
  void givenIsoTextWithOffset_whenParsed_thenMicrosOfTheInstant(String text, String instant) {
    assertThat(TemporalValues.epochMicros(text, null))
        .isEqualTo(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-01-01T00:00:00", "2026-02-30T00:00:00Z", "2026-01-01T25:00:00Z",
        "2026-01-01T00:00:00+01:0", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00+1900",
        "2026-01-01T00:00:00.1234567890Z"
      })
  void givenTextThatIsNoIsoInstant_whenParsed_thenDateTimeException(String text) {
    assertThatThrownBy(() -> TemporalValues.epochMicros(text, null))
        .isInstanceOf(DateTimeException.class);
  }

  @Test
  void givenPatternWithoutZone_whenParsed_thenTakenAsUtc() {
    assertThat(
            TemporalValues.epochMicros(
                "02/01/2026 03:04", DateTimeFormatter.ofPattern("dd/MM/yyyy HH:mm")))
        .isEqualTo(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse("2026-01-02T03:04:00Z")));
  }

  @Test
  void givenEveryDayOfFourDigitYears_whenParsedByHand_thenTheJdksEpochDayAndMicros() {
    // The fast paths count days by arithmetic instead of LocalDate: leap years, centuries, 0000.
    for (int year : new int[] {0, 1, 4, 99, 100, 400, 1582, 1900, 1969, 1970, 2000, 2024, 2026,
        2100, 9999}) {
      for (LocalDate d = LocalDate.of(year, 1, 1); d.getYear() == year; d = d.plusDays(1)) {
        String text = String.format("%04d-%02d-%02d", year, d.getMonthValue(), d.getDayOfMonth());
        assertThat(TemporalValues.epochDay(text, null)).as(text).isEqualTo(d.toEpochDay());
        assertThat(TemporalValues.epochMicros(text + "T00:00:01Z", null))
            .as(text)
            .isEqualTo(d.toEpochDay() * 86_400_000_000L + 1_000_000L);
      }
    }
    assertThatThrownBy(() -> TemporalValues.epochMicros("2026-13-01T00:00:00Z", null))
        .isInstanceOf(DateTimeException.class);
    assertThatThrownBy(() -> TemporalValues.epochDay("2025-02-29", null))
        .isInstanceOf(DateTimeException.class);
  }

  @Test
  void givenEveryDateOfEveryFourDigitYear_whenParsedByHand_thenTheJdksEpochDayOrItsError() {
    // Every valid date of 0000-9999, as String and as UTF-8 bytes, against LocalDate's epoch day.
    for (LocalDate d = LocalDate.of(0, 1, 1); d.getYear() <= 9999; d = d.plusDays(1)) {
      String text = isoDate(d.getYear(), d.getMonthValue(), d.getDayOfMonth());
      if (TemporalValues.epochDay(text, null) != d.toEpochDay()
          || TemporalValues.epochDay(utf8(text), null) != d.toEpochDay()) {
        assertThat(TemporalValues.epochDay(utf8(text), null)).as(text).isEqualTo(d.toEpochDay());
        assertThat(TemporalValues.epochDay(text, null)).as(text).isEqualTo(d.toEpochDay());
      }
    }
    // Months 0-13 and days 0-32 around leap years and centuries: the JDK's value or its error.
    for (int year : new int[] {0, 1, 4, 100, 400, 1900, 2000, 2023, 2024, 2100, 9996, 9999}) {
      for (int month = 0; month <= 13; month++) {
        for (int day = 0; day <= 32; day++) {
          String text = isoDate(year, month, day);
          Object expected;
          try {
            expected = LocalDate.parse(text).toEpochDay();
          } catch (DateTimeException e) {
            expected = e.getMessage();
          }
          assertThat(epochDayOrError(text, false)).as(text).isEqualTo(expected);
          assertThat(epochDayOrError(text, true)).as(text).isEqualTo(expected);
          Object micros = epochDayOrError(text + "T00:00:00Z", true);
          assertThat(micros instanceof Long m ? (Object) (m / 86_400_000_000L) : "refused")
              .as(text)
              .isEqualTo(expected instanceof Long ? expected : "refused");
        }
      }
    }
  }

  private static String isoDate(int year, int month, int day) {
    char[] c = {
      (char) ('0' + year / 1000), (char) ('0' + year / 100 % 10), (char) ('0' + year / 10 % 10),
      (char) ('0' + year % 10), '-', (char) ('0' + month / 10), (char) ('0' + month % 10), '-',
      (char) ('0' + day / 10), (char) ('0' + day % 10)
    };
    return new String(c);
  }

  private static Utf8Text utf8(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return Utf8Text.copyOf(bytes, 0, bytes.length);
  }

  /** The epoch day (or micros, for a timestamp) of the text, or the message it is refused with. */
  private static Object epochDayOrError(String text, boolean asBytes) {
    try {
      if (text.length() > 10) {
        return TemporalValues.epochMicros(utf8(text), null);
      }
      return (long) (asBytes
          ? TemporalValues.epochDay(utf8(text), null)
          : TemporalValues.epochDay(text, null));
    } catch (DateTimeException e) {
      return e.getMessage();
    }
  }

  @Test
  void givenDate_whenParsed_thenEpochDay() {
    assertThat(TemporalValues.epochDay("1970-01-02", null)).isEqualTo(1);
    assertThat(TemporalValues.epochDay("02.01.1970", DateTimeFormatter.ofPattern("dd.MM.yyyy")))
        .isEqualTo(1);
  }
}
