package dev.sluice.starter.realserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.starter.dev.UiCodecServer;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workers.codec.AesGcmPayloadCodec;
import dev.sluice.workers.codec.CodecServer;
import dev.sluice.workers.codec.PayloadEncryption;
import io.temporal.api.common.v1.WorkflowExecution;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encrypted payloads in the Web UI, as {@code sluice dev} sets it up with encryption on: the UI
 * pointed at a codec server of its own ({@link UiCodecServer}) shows the run's input decoded; with
 * the codec server gone, the same page shows it encoded.
 */
@ExtendWith(RealTemporal.class)
class WebUiCodecBrowserTest {
  static final Path ARTIFACTS = Path.of("target", "web-ui");

  /** In the run's input, decoded: the pipeline's name as a JSON field. */
  static final String DECODED = "\"name\": \"web-ui-secret\"";

  /**
   * The input shown as it is stored: the ciphertext, a quoted base64 string, either alone or as the
   * {@code data} of the payload envelope (the UI shows the envelope when its codec server cannot be
   * reached).
   */
  static final Pattern ENCODED =
      Pattern.compile("Input\\s[\\s\\S]{0,1500}?\"[A-Za-z0-9+/=]{200,}\"");

  @TempDir static Path dir;

  static CodecServer codecServer;
  static TemporalDevServer server;
  static RecordingWorker worker;
  static WorkflowExecution run;

  @BeforeAll
  static void startAnEncryptedRun() throws Exception {
    if (!Files.isExecutable(HeadlessChromium.BINARY)) {
      if (System.getenv("CI") != null) {
        fail("CI is set, so the Web UI test may not be skipped: no " + HeadlessChromium.BINARY);
      }
      Assumptions.abort(
          "Web UI test skipped: no " + HeadlessChromium.BINARY + " (apt-get install chromium)");
    }
    AesGcmPayloadCodec codec =
        PayloadEncryption.fromEnvironment(
                Map.of(
                    "SLUICE_CODEC_KEY_ID",
                    "k1",
                    "SLUICE_CODEC_KEY_k1",
                    Base64.getEncoder().encodeToString(new byte[32])))
            .orElseThrow();
    int uiPort;
    try (ServerSocket free = new ServerSocket(0)) {
      uiPort = free.getLocalPort();
    }
    codecServer = UiCodecServer.start(codec, uiPort, TemporalDevServer.NAMESPACE);
    Path scratch = RealTemporal.scratch("web-ui-codec");
    server =
        TemporalDevServer.start(
            RealTemporal.cli(),
            TemporalDevServer.Settings.defaults()
                .withUiPort(uiPort)
                .withCodecEndpoint(codecServer.baseUrl())
                .withDb(scratch.resolve("temporal.sqlite"))
                .withLog(scratch.resolve("temporal.log")));
    worker = new RecordingWorker(server, "realserver-web-ui-codec", java.util.Optional.of(codec));
    worker.provider.queued.add("web-ui-secret");
    PipelineSpec spec =
        new PipelineLoader().load(RecordingWorker.pipeline(dir, "web-ui-secret")).spec();
    run = PipelineRuns.startExecution(worker.client, worker.queue, spec, "2026-11-02");
    Polling.await(
        "the encrypted run waiting on its job",
        () ->
            worker
                .client
                .listExecutions("SluiceStage = 'WAITING' AND SluicePipeline = 'web-ui-secret'")
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
    if (codecServer != null) {
      codecServer.close();
    }
  }

  @Test
  void givenTheUisCodecServer_whenTheRunIsOpened_thenItsInputIsDecoded_andWithoutItEncoded()
      throws Exception {
    String decoded;
    String encoded;
    try (HeadlessChromium chromium =
        new HeadlessChromium(dir.resolve("chromium-profile"), 1400, 1000)) {
      decoded = render(chromium, "decoded", t -> t.contains(DECODED));
      codecServer.close();
      encoded = render(chromium, "encoded", t -> ENCODED.matcher(t).find());
    }

    assertThat(decoded)
        .as("the input, decoded by the codec server")
        .contains(DECODED)
        .doesNotContainPattern(ENCODED);
    assertThat(encoded)
        .as("without the codec server: the ciphertext, not the pipeline")
        .containsPattern(ENCODED)
        .doesNotContain(DECODED);
  }

  private static String render(HeadlessChromium chromium, String name, Predicate<String> ready)
      throws Exception {
    chromium.open(
        server.webUi().orElseThrow()
            + "/namespaces/"
            + TemporalDevServer.NAMESPACE
            + "/workflows/"
            + URLEncoder.encode(run.getWorkflowId(), StandardCharsets.UTF_8)
            + "/"
            + run.getRunId()
            + "/history");
    String text = chromium.textWhen(ready, Duration.ofSeconds(20));
    Files.createDirectories(ARTIFACTS);
    Files.writeString(ARTIFACTS.resolve("codec-" + name + ".txt"), text);
    chromium.screenshot(ARTIFACTS.resolve("codec-" + name + ".png"));
    return text;
  }
}
