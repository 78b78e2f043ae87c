package dev.sluice.workflows.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The windows of a replay range: pure arithmetic. */
class ReplayWindowsTest {

  @Test
  void givenThreeWholeDays_whenSplitting_thenTheirEndsOldestFirst() {
    assertThat(
            ReplayWindows.between(
                "2026-11-01T00:00:00Z", "2026-11-04T00:00:00Z", Duration.ofDays(1)))
        .containsExactly("2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z", "2026-11-04T00:00:00Z");
  }

  @Test
  void givenHourlyWindows_whenSplitting_thenOneEndPerHour() {
    assertThat(
            ReplayWindows.between(
                "2026-11-01T22:00:00Z", "2026-11-02T01:00:00Z", Duration.ofHours(1)))
        .containsExactly("2026-11-01T23:00:00Z", "2026-11-02T00:00:00Z", "2026-11-02T01:00:00Z");
  }

  @Test
  void givenToNotAfterFrom_whenSplitting_thenRefusedNamingBoth() {
    assertThatThrownBy(
            () ->
                ReplayWindows.between(
                    "2026-11-02T00:00:00Z", "2026-11-02T00:00:00Z", Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--to (2026-11-02T00:00:00Z) must be after --from");
    assertThatThrownBy(
            () ->
                ReplayWindows.between(
                    "2026-11-03T00:00:00Z", "2026-11-02T00:00:00Z", Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be after");
  }

  @Test
  void givenRangeNotAWholeNumberOfWindows_whenSplitting_thenRefusedNamingTheWindow() {
    assertThatThrownBy(
            () ->
                ReplayWindows.between(
                    "2026-11-01T00:00:00Z", "2026-11-02T12:00:00Z", Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a whole number of the pipeline's windows (PT24H)");
  }

  @Test
  void givenMoreWindowsThanTheLimit_whenSplitting_thenRefusedNamingTheCount() {
    String to =
        java.time.Instant.parse("2026-01-01T00:00:00Z")
            .plus(Duration.ofHours(ReplayWindows.MAX_WINDOWS + 1))
            .toString();

    assertThatThrownBy(() -> ReplayWindows.between("2026-01-01T00:00:00Z", to, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining((ReplayWindows.MAX_WINDOWS + 1) + " windows");
  }

  @Test
  void givenExactlyTheLimit_whenSplitting_thenAccepted() {
    String to =
        java.time.Instant.parse("2026-01-01T00:00:00Z")
            .plus(Duration.ofHours(ReplayWindows.MAX_WINDOWS))
            .toString();

    assertThat(ReplayWindows.between("2026-01-01T00:00:00Z", to, Duration.ofHours(1)))
        .hasSize(ReplayWindows.MAX_WINDOWS)
        .last()
        .isEqualTo(to);
  }

  @Test
  void givenUnparsableInstant_whenSplitting_thenRefusedNamingTheFlag() {
    assertThatThrownBy(
            () -> ReplayWindows.between("yesterday", "2026-11-02T00:00:00Z", Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--from must be an ISO-8601 instant")
        .hasMessageContaining("yesterday");
    assertThatThrownBy(
            () -> ReplayWindows.between("2026-11-01T00:00:00Z", "2026-11-02", Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--to must be an ISO-8601 instant");
    assertThatThrownBy(
            () -> ReplayWindows.between(null, "2026-11-02T00:00:00Z", Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--from");
  }
}
