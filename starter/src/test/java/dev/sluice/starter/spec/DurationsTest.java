package dev.sluice.starter.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
  @ParameterizedTest
  @CsvSource({
    "250ms, PT0.25S",
    "5s, PT5S",
    "10m, PT10M",
    "2h, PT2H",
    "1d, PT24H",
    "PT5M, PT5M",
    "P1DT2H, PT26H",
    "PT0.5S, PT0.5S"
  })
  void givenShortOrIsoForm_whenParsed_thenDuration(String text, Duration expected) {
    assertThat(Durations.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"5", "5 s", "5sec", "-5s", "P", "PT", "1w", "5S", ""})
  void givenAnythingElse_whenParsed_thenRejectedNamingTheForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("use 250ms, 5s, 10m, 2h, 1d or ISO-8601");
  }

  @ParameterizedTest
  @ValueSource(strings = {"99999999999999999999s", "9999999999999999d"})
  void givenHugeAmount_whenParsed_thenRejectedAsTooLarge(String text) {
    assertThatThrownBy(() -> Durations.parse(text)).hasMessageContaining("too large");
  }
}
