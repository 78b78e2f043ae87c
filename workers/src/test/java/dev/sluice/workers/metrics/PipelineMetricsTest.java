package dev.sluice.workers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sandbox.GenericStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole pipeline run moves the counters by exactly what happened: every expectation is read from
 * the sandbox's own statistics or the run's result, and compared with a scrape of the worker's
 * {@code /metrics} over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineMetricsTest {
  private static final String PIPELINE = PipelineRun.PIPELINE;

  private Path dir;
  private PipelineRun run;
  private Scrape scrape;

  @BeforeAll
  void runPipelineAndScrape(@TempDir Path tempDir) throws IOException {
    dir = tempDir;
    run = PipelineRun.run(dir);
    scrape = Scrape.parse(get(run.endpoint()));
  }

  @AfterAll
  void stop() {
    if (run != null) {
      run.close();
    }
  }

  static String get(String url) throws IOException {
    try (Response response =
        new OkHttpClient().newCall(new Request.Builder().url(url).build()).execute()) {
      assertThat(response.code()).as("GET %s", url).isEqualTo(200);
      return response.body().string();
    }
  }

  private String provider() {
    return "127.0.0.1";
  }

  @Test
  void givenPipelineRun_whenScraped_thenExtractedRowsAndPagesAreWhatTheProviderServed() {
    GenericStats served = run.sandbox.generic().stats();

    assertThat(run.result.rows()).isEqualTo(PipelineRun.RECORDS);
    assertThat(
            scrape.sum("sluice_extract_rows_total", "pipeline", PIPELINE, "provider", provider()))
        .isEqualTo(PipelineRun.RECORDS);
    assertThat(
            scrape.sum("sluice_extract_pages_total", "pipeline", PIPELINE, "provider", provider()))
        .isEqualTo(served.dataPagesServed())
        .isEqualTo(run.result.pages());
  }

  @Test
  void givenPipelineRun_whenScraped_thenStatusPollsByOutcomeAreTheChecksTheProviderAnswered() {
    GenericStats served = run.sandbox.generic().stats();

    assertThat(served.statusPolls()).isEqualTo(PipelineRun.POLLS);
    assertThat(
            scrape.sum("sluice_status_polls_total", "pipeline", PIPELINE, "provider", provider()))
        .isEqualTo(served.statusPolls());
    assertThat(scrape.sum("sluice_status_polls_total", "pipeline", PIPELINE, "outcome", "pending"))
        .isEqualTo(PipelineRun.POLLS - 1);
    assertThat(scrape.sum("sluice_status_polls_total", "pipeline", PIPELINE, "outcome", "ready"))
        .isEqualTo(1);
  }

  @Test
  void givenPipelineRun_whenScraped_thenEveryProviderResponseIsCountedAs2xx() {
    GenericStats served = run.sandbox.generic().stats();
    long requests = 1 + served.statusPolls() + served.dataPagesServed();

    assertThat(
            scrape.sum("sluice_http_responses_total", "pipeline", PIPELINE, "provider", provider()))
        .isEqualTo(requests);
    assertThat(
            scrape.sum(
                "sluice_http_responses_total",
                "pipeline",
                PIPELINE,
                "provider",
                provider(),
                "status",
                "2xx"))
        .isEqualTo(requests);
  }

  @Test
  void givenPipelineRun_whenScraped_thenParquetWrittenIsWhatLandedInTheTable() throws IOException {
    long tableBytes;
    try (Stream<Path> files = Files.list(dir.resolve("table"))) {
      tableBytes =
          files
              .filter(f -> f.getFileName().toString().endsWith(".parquet"))
              .mapToLong(f -> f.toFile().length())
              .sum();
    }

    assertThat(run.result.files())
        .as("files roll at every page: counted at checkpoints")
        .hasSizeGreaterThan(1);
    assertThat(scrape.sum("sluice_parquet_written_rows_total", "pipeline", PIPELINE))
        .isEqualTo(run.result.rows());
    assertThat(scrape.sum("sluice_parquet_written_bytes_total", "pipeline", PIPELINE))
        .isEqualTo(run.result.bytes())
        .isEqualTo(tableBytes);
  }

  @Test
  void givenPipelineRun_whenScraped_thenWorkflowRecordedOneProviderWaitOfTheRunsWaitTime() {
    double waitSeconds = run.result.timings().waitMillis() / 1000.0;

    assertThat(waitSeconds).isGreaterThanOrEqualTo(PipelineRun.STATUS_INTERVAL.toSeconds());
    assertThat(scrape.sum("sluice_provider_wait_seconds_count", "pipeline", PIPELINE)).isEqualTo(1);
    assertThat(scrape.sum("sluice_provider_wait_seconds_sum", "pipeline", PIPELINE))
        .isCloseTo(waitSeconds, within(0.001));
    // Fixed buckets: the wait is above 15s and below 30s.
    assertThat(
            scrape.sum("sluice_provider_wait_seconds_bucket", "pipeline", PIPELINE, "le", "15.0"))
        .isZero();
    assertThat(
            scrape.sum("sluice_provider_wait_seconds_bucket", "pipeline", PIPELINE, "le", "30.0"))
        .isEqualTo(1);
  }

  @Test
  void givenPipelineRun_whenScraped_thenWorkflowCountedOnePublish() {
    assertThat(scrape.sum("sluice_publish_total", "pipeline", PIPELINE, "outcome", "published"))
        .isEqualTo(1);
    assertThat(scrape.sum("sluice_publish_total", "pipeline", PIPELINE, "outcome", "failed"))
        .isZero();
  }

  /**
   * The dashboard cannot drift from the code: each metric a panel queries is one this run's scrape
   * holds (with the labels the query matches on), or one of the SDK's own meter names, or one of
   * the platform meters no code records yet (and then it must really be absent).
   */
  @Test
  void givenDashboard_whenItsQueriesAreRead_thenEveryMetricIsOneTheWorkerExposes() {
    Dashboard dashboard = Dashboard.read();
    Set<String> exposed = scrape.names();
    List<String> problems = new ArrayList<>();
    Set<String> platformQueried = new TreeSet<>();

    for (JsonNode panel : dashboard.panels()) {
      String title = panel.path("title").asText();
      List<String> expressions = Dashboard.expressions(panel);
      if (expressions.isEmpty() || expressions.stream().anyMatch(String::isBlank)) {
        problems.add(title + ": a panel without a query");
      }
      for (String expression : expressions) {
        Set<String> metrics = Dashboard.metrics(expression);
        if (metrics.isEmpty()) {
          problems.add(title + ": no Sluice or Temporal metric in " + expression);
        }
        for (String metric : metrics) {
          if (PlatformMeters.ONLY_AFTER_PLATFORM_RUNS.contains(metric)) {
            platformQueried.add(metric);
          } else if (!exposed.contains(metric) && Dashboard.sdkMeter(metric) == null) {
            problems.add(
                title + ": " + metric + " is neither exposed by the worker nor an SDK meter");
          }
        }
        for (String[] selector : Dashboard.selectors(expression)) {
          if (selector[0].startsWith("sluice_")
              && exposed.contains(selector[0])
              && scrape.matching(selector[0]).stream()
                  .noneMatch(s -> s.labels().containsKey(selector[1]))) {
            problems.add(title + ": " + selector[0] + " has no label " + selector[1]);
          }
        }
      }
    }

    assertThat(problems).isEmpty();
    assertThat(platformQueried)
        .as("the batch panels query the platform meters")
        .containsExactlyInAnyOrderElementsOf(PlatformMeters.ONLY_AFTER_PLATFORM_RUNS);
    assertThat(exposed)
        .as("recorded now? move them out of PlatformMeters.ONLY_AFTER_PLATFORM_RUNS")
        .doesNotContainAnyElementsOf(PlatformMeters.ONLY_AFTER_PLATFORM_RUNS);
  }

  @Test
  void givenPipelineRun_whenScraped_thenSdkMetricsArriveThroughTheSameRegistryWithFixedBuckets() {
    assertThat(
            scrape.sum(
                "temporal_workflow_completed_total",
                "workflow_type",
                "AsyncIngestWorkflow",
                "task_queue",
                PipelineRun.TASK_QUEUE))
        .isEqualTo(1);
    assertThat(
            scrape.sum(
                "temporal_activity_execution_latency_seconds_count", "activity_type", "Extract"))
        .isEqualTo(1);
    assertThat(
            scrape.matching("temporal_workflow_task_execution_latency_seconds_bucket").stream()
                .map(s -> s.labels().get("le"))
                .distinct())
        .as("the SDK's own ~70 buckets replaced by 18 and +Inf")
        .hasSize(19)
        .contains("0.005", "7200.0", "+Inf");
  }
}
