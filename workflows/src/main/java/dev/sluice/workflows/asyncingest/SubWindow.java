package dev.sluice.workflows.asyncingest;

import dev.sluice.workflows.activities.RunKeys;
import dev.sluice.workflows.common.DurationText;
import dev.sluice.workflows.common.Windows;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A part of a split window: the half-open range {@code [from, to)} of instants (ISO-8601), the
 * window's own or its watermark range's. Halves share their middle bound, so the parts of a range
 * cover it with neither gap nor overlap. Pure arithmetic: safe in workflow code.
 *
 * @param from the first instant of the part
 * @param to the instant after its last
 */
public record SubWindow(String from, String to) {

  /**
   * The two halves, cut at a whole number of {@code minWindow}s from {@code from} (so a daily
   * window splits into whole days), or an empty list when the range is no longer than {@code
   * minWindow} or its bounds are not instants.
   */
  List<SubWindow> halves(Duration minWindow) {
    Instant start = Windows.instant(from);
    Instant end = Windows.instant(to);
    if (start == null || end == null) {
      return List.of();
    }
    Duration length = Duration.between(start, end);
    if (length.compareTo(minWindow) <= 0) {
      return List.of();
    }
    long units = (length.toNanos() + minWindow.toNanos() - 1) / minWindow.toNanos();
    String middle = start.plus(minWindow.multipliedBy(units / 2)).toString();
    return List.of(new SubWindow(from, middle), new SubWindow(middle, to));
  }

  /** Whether {@link #halves} can split this range. */
  boolean splittable(Duration minWindow) {
    return !halves(minWindow).isEmpty();
  }

  /**
   * The part's directory under the run's staging, and what its file names add to the run key:
   * {@code split-<from>-<to>}, file-system safe.
   */
  String dirName() {
    return "split-" + RunKeys.of(from) + "-" + RunKeys.of(to);
  }

  /** {@code [from, to)} and its length, as failures and summaries show it. */
  String describe() {
    Instant start = Windows.instant(from);
    Instant end = Windows.instant(to);
    String range = "[" + from + ", " + to + ")";
    return start == null || end == null || !end.isAfter(start)
        ? range
        : range + " (" + DurationText.of(Duration.between(start, end)) + ")";
  }
}
