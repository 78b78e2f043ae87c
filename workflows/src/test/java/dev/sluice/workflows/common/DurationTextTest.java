package dev.sluice.workflows.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {

  @Test
  void givenWholeUnits_whenPrinted_thenWrittenAsAPipelineFileWouldWriteThem() {
    assertThat(DurationText.of(Duration.ofSeconds(10))).isEqualTo("10s");
    assertThat(DurationText.of(Duration.ofMinutes(30))).isEqualTo("30m");
    assertThat(DurationText.of(Duration.ofHours(2))).isEqualTo("2h");
    assertThat(DurationText.of(Duration.ofDays(1))).isEqualTo("1d");
  }

  @Test
  void givenMixedUnits_whenPrinted_thenTheLargestExactUnit() {
    assertThat(DurationText.of(Duration.ofMinutes(90))).isEqualTo("90m");
    assertThat(DurationText.of(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(DurationText.of(Duration.ZERO)).isEqualTo("0s");
  }
}
