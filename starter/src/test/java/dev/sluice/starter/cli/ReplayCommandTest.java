package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code sluice replay}'s arguments. Every command here points at a closed port: a command that got
 * as far as connecting would exit 3, so exit 2 also proves nothing was started.
 */
class ReplayCommandTest {
  private static final String NOWHERE = "127.0.0.1:1";

  @TempDir Path dir;

  private CliRun replay(String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of("replay", CliRun.minimalPipeline(dir).toString()));
    args.addAll(List.of(flags));
    args.addAll(List.of("--address", NOWHERE));
    return CliRun.run(args.toArray(String[]::new));
  }

  @ParameterizedTest(name = "{0} → {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "yesterday            | 2026-11-03T00:00:00Z | --from must be an ISO-8601 instant such as"
            + " 2026-11-01T00:00:00Z, got yesterday",
        "2026-11-01T00:00:00Z | 2026-11-03           | --to must be an ISO-8601 instant",
        "2026-11-03T00:00:00Z | 2026-11-01T00:00:00Z | --to (2026-11-01T00:00:00Z) must be after"
            + " --from (2026-11-03T00:00:00Z)",
        "2026-11-01T00:00:00Z | 2026-11-02T12:00:00Z | is not a whole number of the pipeline's"
            + " windows (PT24H)",
        "2020-01-01T00:00:00Z | 2026-01-01T00:00:00Z | windows; a replay covers at most 1000"
      })
  void givenBadRange_whenReplaying_thenExit2WithTheReasonAndNothingStarted(
      String from, String to, String reason) throws Exception {
    CliRun run = replay("--from", from, "--to", to);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains(reason).doesNotContain("cannot reach Temporal");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void givenParallelBelowOne_whenReplaying_thenExit2NamingTheFlag() throws Exception {
    CliRun run =
        replay("--from", "2026-11-01T00:00:00Z", "--to", "2026-11-03T00:00:00Z", "--parallel", "0");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("--parallel must be at least 1, got 0");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void givenMissingTo_whenReplaying_thenUsageErrorExit2() throws Exception {
    CliRun run = replay("--from", "2026-11-01T00:00:00Z");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("Missing required option: '--to=T2'");
  }

  @Test
  void givenInvalidPipelineFile_whenReplaying_thenExit2BeforeTheRangeIsLookedAt() {
    CliRun run =
        CliRun.run(
            "replay",
            dir.resolve("missing.yaml").toString(),
            "--from",
            "2026-11-01T00:00:00Z",
            "--to",
            "2026-11-03T00:00:00Z",
            "--address",
            NOWHERE);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).contains("missing.yaml: no such file");
  }

  @Test
  void givenValidRange_whenReplaying_thenGetsAsFarAsConnecting() throws Exception {
    // The counterpart of the tests above: a valid range is accepted, and only the closed port
    // stops it.
    CliRun run = replay("--from", "2026-11-01T00:00:00Z", "--to", "2026-11-03T00:00:00Z");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err()).contains("cannot reach Temporal at " + NOWHERE);
  }

  @Test
  void givenOnlyTheRange_whenParsed_thenOneWindowAtATimeWithoutWaiting() throws Exception {
    ReplayCommand command =
        CliRun.parse(
            "replay",
            CliRun.minimalPipeline(dir).toString(),
            "--from",
            "2026-11-01T00:00:00Z",
            "--to",
            "2026-11-03T00:00:00Z");

    assertThat(command.parallel).isEqualTo(1);
    assertThat(command.await).isFalse();
    assertThat(command.queue.taskQueue()).isNotBlank();
  }
}
