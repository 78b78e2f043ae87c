package dev.sluice.workflows.replay;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The windows of a replay range: pure arithmetic, shared by the CLI's checks and the workflow. */
public final class ReplayWindows {
  private ReplayWindows() {}

  /** Windows a replay may cover at most (each becomes a child workflow). */
  public static final int MAX_WINDOWS = 1000;

  /**
   * The logical dates (window ends) of every window in {@code [from, to)}, oldest first.
   *
   * @throws IllegalArgumentException naming what is wrong: an unparsable instant, {@code to} not
   *     after {@code from}, a range that is not a whole number of windows, or too many windows
   */
  public static List<String> between(String from, String to, Duration window) {
    Instant start = parse("--from", from);
    Instant end = parse("--to", to);
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("--to (" + to + ") must be after --from (" + from + ")");
    }
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("the pipeline's window must be positive, got " + window);
    }
    Duration span = Duration.between(start, end);
    long windowMillis = window.toMillis();
    if (span.toMillis() % windowMillis != 0) {
      throw new IllegalArgumentException(
          "--from "
              + from
              + " to --to "
              + to
              + " is not a whole number of the pipeline's windows ("
              + window
              + ")");
    }
    long count = span.toMillis() / windowMillis;
    if (count > MAX_WINDOWS) {
      throw new IllegalArgumentException(
          "the range holds " + count + " windows; a replay covers at most " + MAX_WINDOWS);
    }
    List<String> ends = new ArrayList<>((int) count);
    for (long i = 1; i <= count; i++) {
      ends.add(start.plusMillis(i * windowMillis).toString());
    }
    return ends;
  }

  private static Instant parse(String flag, String value) {
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException | NullPointerException e) {
      throw new IllegalArgumentException(
          flag + " must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, got " + value);
    }
  }
}
