package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice run} before and around the start: notes, a detached wait. */
class RunCommandTest {
  @TempDir Path dir;

  @Test
  void givenASecretThisMachineCannotResolve_whenRun_thenANoteBeforeConnecting() throws Exception {
    Path file = dir.resolve("keyed.yaml");
    Files.writeString(
        file,
        Files.readString(CliRun.minimalPipeline(dir))
            .replace(
                "source:\n  type: async-http\n",
                "source:\n  type: async-http\n  auth:\n    type: api-key\n    header: X-API-Key\n"
                    + "    key: ${env:SLUICE_TEST_NEVER_SET_KEY}\n"));

    // Port 1 on loopback: nothing answers, so nothing starts.
    CliRun run = CliRun.run("run", file.toString(), "--address", "127.0.0.1:1");

    assertThat(run.err())
        .startsWith(
            "  note: ${env:SLUICE_TEST_NEVER_SET_KEY} is not resolvable on this machine; workers"
                + " must be able to resolve it")
        .contains("cannot reach Temporal at 127.0.0.1:1");
    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
  }

  @Test
  void givenAWaitInterrupted_whenTheNoticeIsPrinted_thenItSaysTheRunGoesOnAndHowToFollowOrStopIt() {
    StringWriter err = new StringWriter();

    DetachNotice.print(new PrintWriter(err), "ingest/contacts/2026-11-22");

    assertThat(err.toString().strip())
        .isEqualTo(
            "detached from ingest/contacts/2026-11-22: the run goes on. Follow it with `sluice"
                + " status 'ingest/contacts/2026-11-22'`, or stop it with `sluice cancel"
                + " 'ingest/contacts/2026-11-22'`.");
  }

  @Test
  void givenANoticeRegistered_whenClosedAfterANormalEnd_thenTheHookIsGone() {
    DetachNotice notice = DetachNotice.register(new PrintWriter(new StringWriter()), "x");

    notice.close();

    // Removing it again would return false: it is no longer registered.
    assertThat(notice).extracting("hook").satisfies(
        hook -> assertThat(Runtime.getRuntime().removeShutdownHook((Thread) hook)).isFalse());
  }
}
