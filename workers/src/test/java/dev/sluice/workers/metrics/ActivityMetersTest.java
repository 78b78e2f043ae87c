package dev.sluice.workers.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.activities.http.HttpMetrics;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.workflows.activities.Messages.Outcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The activity library's meters ({@link HttpMetrics}) as a worker's Prometheus registry shows them.
 */
class ActivityMetersTest {
  private final WorkerMetrics metrics = WorkerMetrics.start(null, java.time.Duration.ofSeconds(1));
  private final HttpMetrics http = new HttpMetrics(metrics.registry());

  private Scrape scrape() {
    return Scrape.parse(metrics.scrape());
  }

  private static WriterState state(long rows, long bytes) {
    return new WriterState(List.of(), rows, bytes, null, List.of());
  }

  @Test
  void givenResumedAttempt_whenFilesComplete_thenOnlyFilesBeyondTheCheckpointAreCounted() {
    HttpMetrics.WrittenFiles written =
        http.forPipeline(Map.of("pipeline", "p")).written(state(100, 4_000));

    written.observe(state(100, 4_000)); // a keep-alive repeats the checkpoint it resumed from
    written.observe(state(150, 6_000)); // a file completes
    written.observe(150, 6_000); // the end, nothing new since

    assertThat(scrape().sum("sluice_parquet_written_rows_total", "pipeline", "p")).isEqualTo(50);
    assertThat(scrape().sum("sluice_parquet_written_bytes_total", "pipeline", "p"))
        .isEqualTo(2_000);
  }

  @Test
  void givenFirstAttempt_whenOnlyTheEndIsObserved_thenEverythingIsCountedOnce() {
    HttpMetrics.WrittenFiles written = http.forPipeline(Map.of("pipeline", "p")).written(null);

    written.observe(null);
    written.observe(42, 1_234);

    assertThat(scrape().sum("sluice_parquet_written_rows_total", "pipeline", "p")).isEqualTo(42);
    assertThat(scrape().sum("sluice_parquet_written_bytes_total", "pipeline", "p"))
        .isEqualTo(1_234);
  }

  @Test
  void givenRequestWithoutPipeline_whenCounted_thenTaggedUnknown() {
    http.forPipeline(Map.of()).poll("api.example.com", Outcome.PENDING);

    assertThat(
            scrape()
                .sum(
                    "sluice_status_polls_total",
                    "pipeline",
                    "unknown",
                    "provider",
                    "api.example.com",
                    "outcome",
                    "pending"))
        .isEqualTo(1);
  }

  @Test
  void givenResponses_whenCounted_thenByStatusClass() {
    HttpMetrics bound = http.forPipeline(Map.of("pipeline", "p"));
    bound.response("api.example.com", 200);
    bound.response("api.example.com", 204);
    bound.response("api.example.com", 429);

    assertThat(scrape().sum("sluice_http_responses_total", "status", "2xx")).isEqualTo(2);
    assertThat(scrape().sum("sluice_http_responses_total", "status", "4xx")).isEqualTo(1);
  }
}
