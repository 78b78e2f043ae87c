package dev.sluice.workers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsSettingsTest {
  @Test
  void givenNoVariables_whenRead_thenPort9464OnLoopbackOnly() {
    MetricsSettings settings = MetricsSettings.fromEnvironment(Map.of());

    assertThat(settings).isEqualTo(new MetricsSettings("127.0.0.1", 9464));
    assertThat(settings.enabled()).isTrue();
  }

  @Test
  void givenPortAndBind_whenRead_thenBothApply() {
    MetricsSettings settings =
        MetricsSettings.fromEnvironment(
            Map.of("SLUICE_METRICS_PORT", " 9100 ", "SLUICE_METRICS_BIND", "0.0.0.0"));

    assertThat(settings).isEqualTo(new MetricsSettings("0.0.0.0", 9100));
  }

  @Test
  void givenPortZero_whenRead_thenNoEndpoint() {
    assertThat(MetricsSettings.fromEnvironment(Map.of("SLUICE_METRICS_PORT", "0")).enabled())
        .isFalse();
  }

  @Test
  void givenPortThatIsNotANumber_whenRead_thenTheMessageNamesTheVariable() {
    assertThatThrownBy(() -> MetricsSettings.fromEnvironment(Map.of("SLUICE_METRICS_PORT", "http")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SLUICE_METRICS_PORT")
        .hasMessageContaining("'http'");
  }

  @Test
  void givenPortOutOfRange_whenBuilt_thenRejected() {
    assertThatThrownBy(() -> new MetricsSettings(null, 70000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("70000");
  }
}
