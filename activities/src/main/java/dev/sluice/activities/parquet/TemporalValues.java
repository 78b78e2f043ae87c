package dev.sluice.activities.parquet;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/** Parsing of timestamp and date text into the units Parquet stores. */
final class TemporalValues {
  /**
   * ISO-8601 date-time with a mandatory offset, in both offset spellings providers use:
   * {@code 2026-01-01T00:00:00Z}, {@code …00.000+00:00} and {@code …00.000+0000} (Salesforce).
   */
  private static final DateTimeFormatter ISO_OFFSET =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral('T')
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .appendPattern("[XXX][XX]")
          .toFormatter();

  private TemporalValues() {}

  /**
   * Microseconds since the epoch of {@code text}. Without a pattern the text must be ISO-8601 with
   * an offset (a local time is ambiguous); with one, text without a zone is taken as UTC.
   *
   * @throws java.time.DateTimeException when the text does not match
   */
  static long epochMicros(String text, DateTimeFormatter pattern) {
    Instant instant;
    if (pattern == null) {
      instant = Instant.from(ISO_OFFSET.parse(text));
    } else {
      TemporalAccessor parsed = pattern.parse(text);
      instant =
          parsed.isSupported(ChronoField.INSTANT_SECONDS)
              ? Instant.from(parsed)
              : LocalDateTime.from(parsed).toInstant(ZoneOffset.UTC);
    }
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  /**
   * Days since the epoch of {@code text}: {@code yyyy-MM-dd} without a pattern.
   *
   * @throws java.time.DateTimeException when the text does not match
   */
  static int epochDay(String text, DateTimeFormatter pattern) {
    LocalDate date =
        pattern == null ? LocalDate.parse(text) : LocalDate.from(pattern.parse(text));
    return Math.toIntExact(date.toEpochDay());
  }
}
