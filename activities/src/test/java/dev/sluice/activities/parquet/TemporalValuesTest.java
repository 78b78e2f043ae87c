package dev.sluice.activities.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
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
  void givenDate_whenParsed_thenEpochDay() {
    assertThat(TemporalValues.epochDay("1970-01-02", null)).isEqualTo(1);
    assertThat(TemporalValues.epochDay("02.01.1970", DateTimeFormatter.ofPattern("dd.MM.yyyy")))
        .isEqualTo(1);
  }
}
