package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  void givenDate_whenParsed_thenEpochDay() {
    assertThat(TemporalValues.epochDay("1970-01-02", null)).isEqualTo(1);
    assertThat(TemporalValues.epochDay("02.01.1970", DateTimeFormatter.ofPattern("dd.MM.yyyy")))
        .isEqualTo(1);
  }
}
