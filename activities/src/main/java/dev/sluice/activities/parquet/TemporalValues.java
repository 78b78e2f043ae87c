package dev.sluice.activities.parquet;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * Parsing of timestamp and date text into the units Parquet stores, from a String or from CSV's
 * {@link Utf8Text}: the hand-written ISO paths read its bytes (they accept only ASCII digits and
 * separators, so the bytes are the chars); anything else is its String's, with the same result,
 * error and message.
 */
final class TemporalValues {
  /**
   * ISO-8601 date-time with a mandatory offset, in both offset spellings providers use: {@code
   * 2026-01-01T00:00:00Z}, {@code …00.000+00:00} and {@code …00.000+0000} (Salesforce).
   */
  private static final DateTimeFormatter ISO_OFFSET =
      new DateTimeFormatterBuilder()
          .append(DateTimeFormatter.ISO_LOCAL_DATE)
          .appendLiteral('T')
          .append(DateTimeFormatter.ISO_LOCAL_TIME)
          .appendPattern("[XXX][XX]")
          .toFormatter();

  /** {@link #isoMicros} result for text the fast path leaves to the full parser. */
  private static final long NOT_FAST = Long.MIN_VALUE;

  /** Days from 0000-01-01 to 1970-01-01, as {@link LocalDate} counts them. */
  private static final long DAYS_0000_TO_1970 = (146_097 * 5L) - (30L * 365L + 7L);

  /** Days of each month in a common year (index 1 to 12). */
  private static final int[] MONTH_DAYS = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  /** Days of a common year before the first of each month (index 1 to 12). */
  private static final int[] DAYS_BEFORE = {0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

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
      long micros = isoMicros(text);
      if (micros != NOT_FAST) {
        return micros;
      }
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

  /** {@link #epochMicros(String, DateTimeFormatter)} of the text of {@code text}. */
  static long epochMicros(Utf8Text text, DateTimeFormatter pattern) {
    if (pattern == null) {
      long micros = isoMicros(text.bytes());
      if (micros != NOT_FAST) {
        return micros;
      }
    }
    return epochMicros(text.toString(), pattern);
  }

  /** {@link #epochDay(String, DateTimeFormatter)} of the text of {@code text}. */
  static int epochDay(Utf8Text text, DateTimeFormatter pattern) {
    byte[] t = text.bytes();
    if (pattern == null && t.length == 10 && t[4] == '-' && t[7] == '-') {
      int year = digits(t, 0, 4);
      int month = digits(t, 5, 7);
      int day = digits(t, 8, 10);
      if (year >= 0 && validDate(year, month, day)) {
        return (int) epochDay(year, month, day);
      }
    }
    return epochDay(text.toString(), pattern);
  }

  /**
   * Days since the epoch of {@code text}: {@code yyyy-MM-dd} without a pattern.
   *
   * @throws java.time.DateTimeException when the text does not match
   */
  static int epochDay(String text, DateTimeFormatter pattern) {
    if (pattern == null && text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-') {
      // yyyy-MM-dd by hand, as isoMicros does: the formatter costs more than encoding the value.
      int year = digits(text, 0, 4);
      int month = digits(text, 5, 7);
      int day = digits(text, 8, 10);
      if (year >= 0 && validDate(year, month, day)) {
        return (int) epochDay(year, month, day);
      }
      // Anything else is the parser's to accept or to refuse, with its own message.
    }
    LocalDate date = pattern == null ? LocalDate.parse(text) : LocalDate.from(pattern.parse(text));
    return Math.toIntExact(date.toEpochDay());
  }

  /**
   * The fixed layout most providers emit, {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM|±HHMM)},
   * parsed by hand: {@link DateTimeFormatter} costs ~3 µs per value, more than encoding the whole
   * row. Returns {@link #NOT_FAST} for any other text, which the full parser then decides on.
   *
   * @throws java.time.DateTimeException for an impossible date such as February 30
   */
  private static long isoMicros(String t) {
    int n = t.length();
    if (n < 20
        || t.charAt(4) != '-'
        || t.charAt(7) != '-'
        || t.charAt(10) != 'T'
        || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return NOT_FAST;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    if (year < 0
        || month < 0
        || day < 0
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return NOT_FAST;
    }
    int i = 19;
    long fraction = 0;
    if (t.charAt(i) == '.') {
      int start = ++i;
      while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
        if (i - start < 6) {
          fraction = fraction * 10 + (t.charAt(i) - '0');
        }
        i++;
      }
      int count = i - start;
      if (count == 0 || count > 9) {
        return NOT_FAST;
      }
      for (int k = count; k < 6; k++) {
        fraction *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && t.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i < n && (t.charAt(i) == '+' || t.charAt(i) == '-') && (n - i == 6 || n - i == 5)) {
      int offsetHours = digits(t, i + 1, i + 3);
      int minutesAt = n - i == 6 ? i + 4 : i + 3;
      int offsetMinutes = digits(t, minutesAt, minutesAt + 2);
      if (offsetHours < 0
          || offsetHours > 18
          || offsetMinutes < 0
          || offsetMinutes > 59
          || (n - i == 6 && t.charAt(i + 3) != ':')) {
        return NOT_FAST;
      }
      offsetSeconds = (t.charAt(i) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
    } else {
      return NOT_FAST;
    }
    if (!validDate(year, month, day)) {
      LocalDate.of(year, month, day); // throws, naming what is wrong
    }
    long seconds =
        epochDay(year, month, day) * 86_400L
            + hour * 3600L
            + minute * 60L
            + second
            - offsetSeconds;
    return seconds * 1_000_000L + fraction;
  }

  /**
   * {@link #isoMicros(String)} of ASCII bytes, line for line: every byte it accepts is an ASCII
   * digit or separator, so for other bytes it returns {@link #NOT_FAST} as the String's chars would
   * make it.
   */
  private static long isoMicros(byte[] t) {
    int n = t.length;
    if (n < 20 || t[4] != '-' || t[7] != '-' || t[10] != 'T' || t[13] != ':' || t[16] != ':') {
      return NOT_FAST;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    if (year < 0
        || month < 0
        || day < 0
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return NOT_FAST;
    }
    int i = 19;
    long fraction = 0;
    if (t[i] == '.') {
      int start = ++i;
      while (i < n && t[i] >= '0' && t[i] <= '9') {
        if (i - start < 6) {
          fraction = fraction * 10 + (t[i] - '0');
        }
        i++;
      }
      int count = i - start;
      if (count == 0 || count > 9) {
        return NOT_FAST;
      }
      for (int k = count; k < 6; k++) {
        fraction *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && t[i] == 'Z') {
      offsetSeconds = 0;
    } else if (i < n && (t[i] == '+' || t[i] == '-') && (n - i == 6 || n - i == 5)) {
      int offsetHours = digits(t, i + 1, i + 3);
      int minutesAt = n - i == 6 ? i + 4 : i + 3;
      int offsetMinutes = digits(t, minutesAt, minutesAt + 2);
      if (offsetHours < 0
          || offsetHours > 18
          || offsetMinutes < 0
          || offsetMinutes > 59
          || (n - i == 6 && t[i + 3] != ':')) {
        return NOT_FAST;
      }
      offsetSeconds = (t[i] == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
    } else {
      return NOT_FAST;
    }
    if (!validDate(year, month, day)) {
      LocalDate.of(year, month, day); // throws, naming what is wrong
    }
    long seconds =
        epochDay(year, month, day) * 86_400L
            + hour * 3600L
            + minute * 60L
            + second
            - offsetSeconds;
    return seconds * 1_000_000L + fraction;
  }

  /** Whether {@code LocalDate.of} accepts the date (a year of four digits). */
  private static boolean validDate(int year, int month, int day) {
    if (month < 1 || month > 12 || day < 1) {
      return false;
    }
    // Every month has 28 days: most dates decide without the month's length or the leap year.
    return day <= 28
        || day <= MONTH_DAYS[month]
        || (month == 2 && day == 29 && isLeap(year));
  }

  /** {@code Year.isLeap} of a year from 0 to 9999, in int arithmetic. */
  private static boolean isLeap(int year) {
    return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
  }

  /**
   * {@code LocalDate.of(year, month, day).toEpochDay()} for a valid date of a year from 0 to 9999,
   * without the object: its arithmetic, as the JDK writes it, in ints with the days before each
   * month from a table (measured: the date arithmetic was half the time of a date value).
   */
  private static long epochDay(int year, int month, int day) {
    int y = year;
    int total = 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
    total += DAYS_BEFORE[month] + day - 1;
    if (month > 2 && isLeap(year)) {
      total++;
    }
    return total - DAYS_0000_TO_1970;
  }

  /** The non-negative number in {@code t[from, to)}, or -1 when a byte is no ASCII digit. */
  private static int digits(byte[] t, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      int d = t[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      value = value * 10 + d;
    }
    return value;
  }

  /** The non-negative number in {@code t[from, to)}, or -1 when a character is no digit. */
  private static int digits(String t, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
