package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.platform.PlatformStats;
import dev.sluice.starter.dev.DevEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice replay} of a window already sent to the platform: the example {@code
 * contacts-to-platform.yaml} sends the day of 2026-01-01 (when the sandbox's contacts were
 * modified), then the replay of that day sends it again as a batch carrying the platform's {@code
 * replay} block, and the platform marks the first batch superseded.
 */
class PlatformReplayEndToEndTest {
  static final String QUEUE = "e2e-platform-replay";
  static final String DAY_START = "2026-01-01T00:00:00Z";
  static final String DAY_END = "2026-01-02T00:00:00Z";

  static DevEnvironment dev;

  @TempDir static Path work;

  @BeforeAll
  static void startStack() {
    dev = DevEnvironment.start(0, SandboxConfig.defaults().withContactRecords(200), QUEUE);
    PlatformRoundTripEndToEndTest.seedContactsDatasetUnlessSeeded(dev.sandbox().platform());
    // Batches are final on the first status check: each send waits one poll interval, not two.
    dev.sandbox().platform().pollsBeforeFinal(1);
  }

  @AfterAll
  static void stopStack() {
    dev.close();
  }

  @Test
  void givenWindowSentBefore_whenReplayed_thenNewBatchSupersedesTheFirstAndExit0()
      throws Exception {
    Path pipeline =
        Files.writeString(
            work.resolve("send.yaml"),
            Files.readString(Path.of("../examples/contacts-to-platform.yaml")));
    Cli first =
        Cli.run(
            "run",
            pipeline.toString(),
            "--wait",
            "--logical-date",
            DAY_END,
            "--address",
            dev.temporal().address(),
            "--task-queue",
            QUEUE);
    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    Matcher sent = Pattern.compile("platform      batch (\\S+) success").matcher(first.out());
    assertThat(sent.find()).as(first.out()).isTrue();
    String firstBatch = sent.group(1);

    Cli replay =
        Cli.run(
            "replay",
            pipeline.toString(),
            "--from",
            DAY_START,
            "--to",
            DAY_END,
            "--wait",
            "--address",
            dev.temporal().address(),
            "--task-queue",
            QUEUE);

    assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
    Matcher window =
        Pattern.compile(
                "succeeded "
                    + Pattern.quote(DAY_END)
                    + "  \\d+ rows  batch (\\S+) \\(replaces "
                    + Pattern.quote(firstBatch)
                    + "\\)")
            .matcher(replay.out());
    assertThat(window.find()).as(replay.out()).isTrue();
    String secondBatch = window.group(1);
    assertThat(secondBatch).isNotEqualTo(firstBatch);
    assertThat(replay.out()).contains("1 of 1 window succeeded");
    PlatformStats stats = dev.sandbox().platform().stats();
    assertThat(stats.batch(secondBatch).replayPredecessors()).containsExactly(firstBatch);
    assertThat(stats.batch(firstBatch).replacedBy()).isEqualTo(secondBatch);
  }
}
