package dev.sluice.starter.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.starter.spec.PipelineLoader;
import io.temporal.api.common.v1.WorkflowExecution;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Temporal Web UI in a real browser: a dev server of its own with the UI on a random loopback
 * port, one Sluice run waiting on its provider's job, and headless Chromium (Debian's {@code
 * chromium}) rendering the run's page. The page must show the run's search attributes, its static
 * summary and its current details. The screenshot is kept under {@code target/web-ui/}.
 */
@ExtendWith(RealTemporal.class)
class WebUiBrowserTest {
  static final Path ARTIFACTS = Path.of("target", "web-ui");

  @TempDir static Path dir;

  static TemporalDevServer server;
  static RecordingWorker worker;
  static WorkflowExecution run;

  @BeforeAll
  static void startAWaitingRun() throws Exception {
    if (!Files.isExecutable(HeadlessChromium.BINARY)) {
      if (System.getenv("CI") != null) {
        fail("CI is set, so the Web UI test may not be skipped: no " + HeadlessChromium.BINARY);
      }
      Assumptions.abort("Web UI test skipped: no " + HeadlessChromium.BINARY + " (apt-get install chromium)");
    }
    Path scratch = RealTemporal.scratch("web-ui");
    server =
        TemporalDevServer.start(
            RealTemporal.cli(),
            TemporalDevServer.Settings.defaults()
                .withDb(scratch.resolve("temporal.sqlite"))
                .withLog(scratch.resolve("temporal.log")));
    worker = new RecordingWorker(server, "realserver-web-ui");
    worker.provider.queued.add("web-ui-contacts");
    PipelineSpec spec =
        new PipelineLoader().load(RecordingWorker.pipeline(dir, "web-ui-contacts")).spec();
    run = PipelineRuns.startExecution(worker.client, worker.queue, spec, "2026-11-02");
    // Waiting, with a few status checks made: the provider's job ID is known and upserted.
    Polling.await(
        "the run waiting on its job, visible by its provider job ID",
        () ->
            worker
                .client
                .listExecutions(
                    "SluiceStage = 'WAITING' AND SluiceProviderJobId = 'job-1'")
                .toList(),
        1);
  }

  @AfterAll
  static void stop() {
    if (worker != null) {
      worker.client.newUntypedWorkflowStub(run.getWorkflowId()).cancel();
      worker.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void givenAWaitingRun_whenItsPagesAreOpened_thenTheyShowSummaryDetailsAndAttributes()
      throws Exception {
    String metadata;
    String attributes;
    try (HeadlessChromium chromium =
        new HeadlessChromium(dir.resolve("chromium-profile"), 1400, 1000)) {
      metadata =
          render(
              chromium,
              "user-metadata",
              t -> t.contains("Kind:") && t.contains("window 2026") && t.contains("Next check"));
      attributes = render(chromium, "search-attributes", t -> t.contains("SluiceProviderJobId"));
    }

    assertThat(metadata)
        .as("the static summary and details set at start")
        .contains("web-ui-contacts \u2192 ")
        .contains(", window 2026-11-02")
        .contains("Kind: AsyncIngestWorkflow");
    assertThat(metadata)
        .as("the current details: stage, provider job, its state, checks, next check")
        .contains("Stage: waiting")
        .contains("Provider job: job-1")
        .contains("Provider state: queued")
        .contains("Status checks: ")
        .contains("Next check: 20");
    assertThat(attributes)
        .as("Sluice's search attributes, with their values")
        .contains("SluicePipeline")
        .contains("web-ui-contacts")
        .contains("SluiceKind")
        .contains("async-ingest")
        .contains("SluiceStage")
        .contains("WAITING")
        .contains("SluiceProvider")
        .contains("api.example.com")
        .contains("SluiceWindow")
        .contains("2026-11-02")
        .contains("SluiceProviderJobId");
    assertThat(ARTIFACTS.resolve("user-metadata.png")).isNotEmptyFile();
  }

  /**
   * Opens the run's {@code tab} page, waits until its text satisfies {@code ready}, and keeps the
   * text, the HTML and a screenshot under {@link #ARTIFACTS}.
   */
  private static String render(
      HeadlessChromium chromium, String tab, java.util.function.Predicate<String> ready)
      throws Exception {
    chromium.open(
        server.webUi().orElseThrow()
            + "/namespaces/"
            + TemporalDevServer.NAMESPACE
            + "/workflows/"
            + URLEncoder.encode(run.getWorkflowId(), StandardCharsets.UTF_8)
            + "/"
            + run.getRunId()
            + "/"
            + tab);
    String text = chromium.textWhen(ready, Duration.ofSeconds(20));
    Files.createDirectories(ARTIFACTS);
    Files.writeString(ARTIFACTS.resolve(tab + ".txt"), text);
    Files.writeString(ARTIFACTS.resolve(tab + ".html"), chromium.html());
    chromium.screenshot(ARTIFACTS.resolve(tab + ".png"));
    return text;
  }
}
