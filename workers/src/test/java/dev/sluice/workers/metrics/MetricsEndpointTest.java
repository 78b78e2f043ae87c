package dev.sluice.workers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
  private final OkHttpClient http = new OkHttpClient();
  private WorkerMetrics metrics;

  @BeforeEach
  void start() {
    metrics =
        WorkerMetrics.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Duration.ofSeconds(1));
    metrics.registry().counter("sluice.test.things", "pipeline", "p").increment(3);
  }

  @AfterEach
  void stop() {
    metrics.close();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + metrics.address().orElseThrow().getPort() + path;
  }

  @Test
  void givenGet_whenScraped_thenPrometheusTextWithCountersSuffixedTotal() throws IOException {
    try (Response response =
        http.newCall(new Request.Builder().url(url("/metrics")).build()).execute()) {
      assertThat(response.code()).isEqualTo(200);
      assertThat(response.header("Content-Type"))
          .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
      assertThat(response.body().string()).contains("sluice_test_things_total{pipeline=\"p\"} 3.0");
    }
  }

  @Test
  void givenPrometheusAcceptHeader_whenScraped_thenOpenMetrics() throws IOException {
    Request request =
        new Request.Builder()
            .url(url("/metrics"))
            // What Prometheus 2.x sends.
            .header(
                "Accept",
                "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
            .build();
    try (Response response = http.newCall(request).execute()) {
      assertThat(response.header("Content-Type"))
          .startsWith("application/openmetrics-text; version=1.0.0");
      String body = response.body().string();
      assertThat(body).contains("sluice_test_things_total{pipeline=\"p\"} 3.0").endsWith("# EOF\n");
    }
  }

  @Test
  void givenOtherPath_whenRequested_thenNotFound() throws IOException {
    try (Response response = http.newCall(new Request.Builder().url(url("/")).build()).execute()) {
      assertThat(response.code()).isEqualTo(404);
    }
  }

  @Test
  void givenPost_whenRequested_thenMethodNotAllowed() throws IOException {
    Request post =
        new Request.Builder().url(url("/metrics")).post(RequestBody.create(new byte[0])).build();
    try (Response response = http.newCall(post).execute()) {
      assertThat(response.code()).isEqualTo(405);
      assertThat(response.header("Allow")).isEqualTo("GET, HEAD");
    }
  }

  @Test
  void givenDefaultSettings_whenServed_thenBoundToLoopbackOnly() {
    // A free port, the default bind address.
    int port = metrics.address().orElseThrow().getPort();
    metrics.close();
    metrics = WorkerMetrics.start(new MetricsSettings(null, port));

    assertThat(metrics.address().orElseThrow().getAddress().isLoopbackAddress()).isTrue();
  }

  @Test
  void givenPortTaken_whenStarted_thenTheErrorSaysHowToChooseAnother() {
    int taken = metrics.address().orElseThrow().getPort();

    assertThatThrownBy(() -> WorkerMetrics.start(new MetricsSettings("127.0.0.1", taken)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("127.0.0.1:" + taken)
        .hasMessageContaining("SLUICE_METRICS_PORT");
  }

  @Test
  void givenPortZero_whenStarted_thenNoEndpointButTheRegistryStillCounts() {
    try (WorkerMetrics quiet = WorkerMetrics.start(MetricsSettings.disabled())) {
      quiet.registry().counter("sluice.test.quiet").increment();

      assertThat(quiet.address()).isEmpty();
      assertThat(quiet.scrape()).contains("sluice_test_quiet_total 1.0");
    }
  }
}
