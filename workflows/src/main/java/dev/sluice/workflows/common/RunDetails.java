package dev.sluice.workflows.common;

import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * A run's current details as the Web UI shows them ({@link Workflow#setCurrentDetails}): a short
 * markdown list, one line per known fact (stage, provider job, its state, checks so far, the next
 * check, pages, rows, bytes). Every workflow builds its details here, from its progress, so all
 * shapes read alike. Setting them adds nothing to the history: the UI reads them with a query.
 */
public final class RunDetails {
  private final StringBuilder text = new StringBuilder();

  private RunDetails() {}

  /** Details that start with the run's stage. */
  public static RunDetails of(Enum<?> stage) {
    return of(stage.name());
  }

  /** Details that start with the run's stage, named as its progress query names it. */
  public static RunDetails of(String stage) {
    return new RunDetails().line("Stage", stage.toLowerCase(Locale.ROOT).replace('_', ' '));
  }

  /** Adds {@code label: value}; nothing when the value is null (not known yet). */
  public RunDetails line(String label, Object value) {
    if (value != null) {
      text.append("- **").append(label).append(":** ").append(value).append('\n');
    }
    return this;
  }

  /** Adds a count once it is more than zero. */
  public RunDetails count(String label, long count) {
    return count > 0 ? line(label, count) : this;
  }

  /** Adds {@code done of total} once there is a total. */
  public RunDetails ofTotal(String label, long done, long total) {
    return total > 0 ? line(label, done + " of " + total) : this;
  }

  /** Adds a byte count, in readable units, once it is more than zero. */
  public RunDetails bytes(long bytes) {
    return bytes > 0 ? line("Bytes", bytesText(bytes)) : this;
  }

  /** Adds a point in time (UTC, to the second); nothing when {@code epochMillis} is zero. */
  public RunDetails at(String label, long epochMillis) {
    return epochMillis > 0
        ? line(label, Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS))
        : this;
  }

  /** The markdown text. */
  public String markdown() {
    return text.toString();
  }

  /** Shows these details as the run's current details. Workflow code only. */
  public void show() {
    Workflow.setCurrentDetails(markdown());
  }

  static String bytesText(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0
        ? bytes + " B"
        : String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
