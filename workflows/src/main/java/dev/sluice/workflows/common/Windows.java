package dev.sluice.workflows.common;

import dev.sluice.pipeline.TemplateVariables;
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

  /**
   * Template variables of the window {@code [start, end)}: {@code windowStart}, {@code windowEnd},
   * and the first and last calendar days it covers (UTC). A bound that is not an instant stands
   * for itself in every one of them.
   */
  public static java.util.Map<String, String> vars(String start, String end) {
    java.util.Map<String, String> vars = new java.util.LinkedHashMap<>();
    vars.put(TemplateVariables.WINDOW_START, start);
    vars.put(TemplateVariables.WINDOW_END, end);
    Instant from = instant(start);
    Instant to = instant(end);
    vars.put(TemplateVariables.WINDOW_FIRST_DAY, from == null ? start : day(from));
    // The window excludes its end: the last day it covers is the one of the instant just before.
    vars.put(
        TemplateVariables.WINDOW_LAST_DAY,
        to == null ? end : day(from != null && !to.isAfter(from) ? to : to.minusNanos(1)));
    return vars;
  }

  private static String day(Instant instant) {
    return instant.atOffset(java.time.ZoneOffset.UTC).toLocalDate().toString();
  }
}
