package dev.sluice.workflows.permits;

import dev.sluice.workflows.permits.PermitMessages.BudgetAnswer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The UTC days of daily budgets, and the one line a spent budget is reported with. */
public final class Budgets {
  private Budgets() {}

  /** The failure type of a run refused by a spent budget ({@code onExceeded: fail}). */
  public static final String EXCEEDED = "BudgetExceeded";

  /** The UTC day of {@code epochMillis}, as {@code 2026-12-07}. */
  public static String day(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).toLocalDate().toString();
  }

  /** From {@code epochMillis} to the next UTC midnight. */
  public static Duration untilNextDay(long epochMillis) {
    long midnight =
        LocalDate.parse(day(epochMillis))
            .plusDays(1)
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant()
            .toEpochMilli();
    return Duration.ofMillis(midnight - epochMillis);
  }

  /**
   * One line naming the key, the limit and what was used, e.g. {@code budget marketo-acme spent on
   * 2026-12-07: 10 of maxJobsPerDay 10 jobs used}.
   */
  public static String spent(String key, BudgetAnswer answer) {
    StringBuilder line = new StringBuilder("budget ").append(key).append(" spent on ");
    line.append(answer.day()).append(':');
    if (answer.maxJobsPerDay() > 0 && answer.jobs() >= answer.maxJobsPerDay()) {
      line.append(' ')
          .append(answer.jobs())
          .append(" of maxJobsPerDay ")
          .append(answer.maxJobsPerDay())
          .append(" jobs used");
    } else {
      line.append(' ')
          .append(answer.bytes())
          .append(" of maxBytesPerDay ")
          .append(answer.maxBytesPerDay())
          .append(" bytes used");
    }
    return line.toString();
  }
}
