package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.workflows.fileingest.FileIngestInput;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code sluice ingest}: flags parsed, the request resolved; nothing reaches Temporal. */
class IngestCommandTest {
  private static final Path CWD = Path.of("/home/ana/work");

  @Test
  void givenFlags_whenParsed_thenEveryOptionIsSet() {
    IngestCommand command =
        CliRun.parse(
            "ingest",
            "--uri",
            "s3a://landing/orders.csv",
            "--dataset",
            "orders",
            "--format",
            "csv",
            "--lake",
            "s3a://lake",
            "--wait",
            "--task-queue",
            "files");

    assertThat(command.uri).isEqualTo("s3a://landing/orders.csv");
    assertThat(command.dataset).isEqualTo("orders");
    assertThat(command.format).isEqualTo("csv");
    assertThat(command.lake).isEqualTo("s3a://lake");
    assertThat(command.await).isTrue();
    assertThat(command.queue.taskQueue()).isEqualTo("files");
  }

  @Test
  void givenRelativePathsAndNoLake_whenResolved_thenAbsoluteFileUrisUnderTheCurrentDirectory() {
    FileIngestInput input = IngestCommand.request("in/orders.csv.gz", "orders", null, null, CWD);

    assertThat(input.uri()).isEqualTo("file:///home/ana/work/in/orders.csv.gz");
    assertThat(input.format()).isEqualTo("csv");
    assertThat(input.tableUri()).isEqualTo("file:///home/ana/work/lake/orders");
    assertThat(input.dataset()).isEqualTo("orders");
  }

  @Test
  void givenUriWithSchemeAndLakeWithSlash_whenResolved_thenKeptAsGivenAndTableUnderTheLake() {
    FileIngestInput input =
        IngestCommand.request(
            "https://files.example/e?id=7", "events", "NDJSON", "hdfs://nn/lake/", CWD);

    assertThat(input.uri()).isEqualTo("https://files.example/e?id=7");
    assertThat(input.format()).isEqualTo("ndjson");
    assertThat(input.tableUri()).isEqualTo("hdfs://nn/lake/events");
  }

  @Test
  void givenBadFlags_whenResolved_thenTheMessageNamesTheFlag() {
    assertThatThrownBy(() -> IngestCommand.request("a.csv", "../x", null, null, CWD))
        .hasMessageStartingWith("--dataset: '../x' is not a dataset name");
    assertThatThrownBy(() -> IngestCommand.request("https://h/download", "d", null, null, CWD))
        .hasMessageStartingWith("--format: the name of https://h/download does not say its format");
    assertThatThrownBy(() -> IngestCommand.request("a.csv", "d", "xml", null, CWD))
        .hasMessage("--format: 'xml' is not one of csv, json, ndjson");
    assertThatThrownBy(() -> IngestCommand.request("http://bad host/a.csv", "d", null, null, CWD))
        .hasMessageStartingWith("--uri: 'http://bad host/a.csv' is not a valid URI");
  }

  @Test
  void givenInvalidDataset_whenRun_thenExit2BeforeConnecting() {
    CliRun run =
        CliRun.run(
            "ingest", "--uri", "a.csv", "--dataset", "no/slashes", "--address", "127.0.0.1:1");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(run.err()).startsWith("--dataset: 'no/slashes' is not a dataset name");
  }
}
