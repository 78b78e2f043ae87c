package dev.sluice.workflows.common;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** A run's window: {@code [logicalDate - window, logicalDate)}. Pure string and time arithmetic. */
public final class Windows {
  private Windows() {}

  /**
   * The start of the window ending at {@code logicalDate}, ISO-8601; {@code logicalDate} itself
   * when it is not an instant (a free-form logical date names a run, not a time).
   */
  public static String start(String logicalDate, Duration window) {
    Instant end = instant(logicalDate);
    return end == null ? logicalDate : end.minus(window).toString();
  }

  /** {@code value} as an instant (a date alone is its midnight UTC), or null when it is neither. */
  public static Instant instant(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      try {
        return java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADate) {
        return null;
      }
    }
  }
}
