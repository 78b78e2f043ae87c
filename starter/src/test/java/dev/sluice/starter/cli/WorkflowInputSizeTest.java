package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline whose run input Temporal would refuse is refused by {@code validate} and by {@code
 * run} before it connects; one the server would warn about gets a note.
 */
class WorkflowInputSizeTest {

  /**
   * {@code minimal.yaml} with a description of about {@code length} characters, in lines of 100 (a
   * literal block: SnakeYAML reads one plain scalar of megabytes in quadratic time).
   */
  private static Path withDescription(Path dir, int length) throws Exception {
    Path file = CliRun.minimalPipeline(dir);
    String lines = ("  " + "x".repeat(99) + "\n").repeat(length / 100);
    Files.writeString(file, Files.readString(file) + "description: |\n" + lines);
    return file;
  }

  @Test
  void givenDescriptionOverTheServersPayloadLimit_whenValidated_thenRefusedNamingSizeAndLimit(
      @TempDir Path dir) throws Exception {
    Path file = withDescription(dir, 2_700_000);

    CliRun cli = CliRun.run("validate", file.toString());

    assertThat(cli.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(cli.out()).doesNotContain("valid pipeline");
    assertThat(cli.err())
        .contains(file + ": 1 problem:")
        .containsPattern(
            "  description: is 2\\.6 MiB, which makes the run's workflow input 2\\.6 MiB"
                + " \\(27\\d{5} bytes\\), over Temporal's limit of 2\\.0 MiB for one payload"
                + " \\(limit\\.blobSize\\.error\\): shorten it");
  }

  @Test
  void givenDescriptionOverTheServersPayloadLimit_whenRun_thenRefusedBeforeConnecting(
      @TempDir Path dir) throws Exception {
    Path file = withDescription(dir, 2_700_000);

    // Nothing listens on port 1: had the run tried to connect, it would exit 3.
    CliRun cli = CliRun.run("run", file.toString(), "--address", "127.0.0.1:1");

    assertThat(cli.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(cli.err()).contains("over Temporal's limit").doesNotContain("cannot reach");
  }

  @Test
  void givenInputOverTheServersWarningSize_whenValidated_thenValidWithANoteNamingTheBulk(
      @TempDir Path dir) throws Exception {
    Path file = withDescription(dir, 600_000);

    CliRun cli = CliRun.run("validate", file.toString());

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCodes.OK);
    assertThat(cli.out()).contains("valid pipeline 'minimal'");
    assertThat(cli.err())
        .containsPattern(
            "note: the run's workflow input is 59\\d\\.\\d KiB, most of it description \\(591\\.\\d"
                + " KiB\\): Temporal warns above 512\\.0 KiB \\(limit\\.blobSize\\.warn\\)");
  }

  @Test
  void givenOrdinaryPipeline_whenValidated_thenNoSizeNote(@TempDir Path dir) throws Exception {
    CliRun cli = CliRun.run("validate", CliRun.minimalPipeline(dir).toString());

    assertThat(cli.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(cli.err()).doesNotContain("workflow input");
  }
}
