package dev.sluice.workflows.asyncingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.workflows.common.Windows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Halving a range: whole multiples of the smallest window, no gap, no overlap. */
class SubWindowTest {
  private static final Instant END = Instant.parse("2026-11-25T00:00:00Z");

  /** Every range halved down to {@code min}: the leaves, in order. */
  private static List<SubWindow> leaves(SubWindow range, Duration min) {
    List<SubWindow> leaves = new ArrayList<>();
    Deque<SubWindow> todo = new ArrayDeque<>(List.of(range));
    while (!todo.isEmpty()) {
      SubWindow next = todo.pollFirst();
      List<SubWindow> halves = next.halves(min);
      if (halves.isEmpty()) {
        leaves.add(next);
      } else {
        todo.addFirst(halves.get(1));
        todo.addFirst(halves.get(0));
      }
    }
    return leaves;
  }

  @Test
  void givenManyLengthsAndMinimums_whenHalvedToTheEnd_thenLeavesTileTheRangeInWholeMinimums() {
    for (long hours : new long[] {1, 5, 24, 25, 47, 72, 96, 24 * 31, 24 * 365 + 7}) {
      for (Duration min : List.of(Duration.ofHours(1), Duration.ofHours(6), Duration.ofDays(1))) {
        Instant start = END.minus(Duration.ofHours(hours));
        SubWindow range = new SubWindow(start.toString(), END.toString());
        List<SubWindow> leaves = leaves(range, min);

        assertThat(leaves.get(0).from()).isEqualTo(range.from());
        assertThat(leaves.get(leaves.size() - 1).to()).isEqualTo(range.to());
        for (int i = 0; i < leaves.size(); i++) {
          Instant from = Instant.parse(leaves.get(i).from());
          Instant to = Instant.parse(leaves.get(i).to());
          assertThat(to).isAfter(from);
          assertThat(Duration.between(from, to)).isLessThanOrEqualTo(min);
          if (i > 0) {
            assertThat(leaves.get(i).from()).isEqualTo(leaves.get(i - 1).to());
          }
          if (i < leaves.size() - 1) {
            // Every cut but the range's end falls on a whole number of minimums from its start.
            assertThat(Duration.between(start, to).toNanos() % min.toNanos()).isZero();
          }
        }
      }
    }
  }

  @Test
  void givenFourDays_whenHalved_thenTwoDaysEach() {
    SubWindow days = new SubWindow("2026-11-21T00:00:00Z", "2026-11-25T00:00:00Z");

    assertThat(days.halves(Duration.ofDays(1)))
        .containsExactly(
            new SubWindow("2026-11-21T00:00:00Z", "2026-11-23T00:00:00Z"),
            new SubWindow("2026-11-23T00:00:00Z", "2026-11-25T00:00:00Z"));
    assertThat(new SubWindow("2026-11-21T00:00:00Z", "2026-11-22T00:00:00Z").splittable(
            Duration.ofDays(1)))
        .isFalse();
    assertThat(new SubWindow("2026-11-21", null).splittable(Duration.ofDays(1))).isFalse();
  }

  @Test
  void givenWindow_whenItsDaysAreOffered_thenFirstAndLastDayCovered() {
    assertThat(Windows.vars("2026-11-21T00:00:00Z", "2026-11-25T00:00:00Z"))
        .containsEntry("windowFirstDay", "2026-11-21")
        .containsEntry("windowLastDay", "2026-11-24");
    Map<String, String> hours = Windows.vars("2026-11-21T06:00:00Z", "2026-11-21T18:00:00Z");
    assertThat(hours).containsEntry("windowFirstDay", "2026-11-21");
    assertThat(hours).containsEntry("windowLastDay", "2026-11-21");
    assertThat(Windows.vars("run-7", "run-7")).containsEntry("windowLastDay", "run-7");
  }
}
