package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice windows --no-open}: journals only, so nothing here reaches Temporal. */
class WindowsCommandTest {

  private static Path routes(Path dir, String sinkPath) throws Exception {
    return Files.writeString(
        dir.resolve("routes.yaml"),
        "routes:\n"
            + "  - name: orders\n"
            + "    when: {suffix: .csv}\n"
            + "    sink: {type: parquet, path: \""
            + sinkPath
            + "\"}\n");
  }

  @Test
  void givenRouteWhoseSinkNoFileSystemServes_whenListed_thenRefusedAsInvalidWithoutAnException(
      @TempDir Path dir) throws Exception {
    Path routes = routes(dir, "gs://lake/orders");

    CliRun cli = CliRun.run("windows", "orders", "--routes", routes.toString(), "--no-open");

    assertThat(cli.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    assertThat(cli.err())
        .contains(
            "routes[0].sink.path: unsupported scheme 'gs:'; use a path relative to this file, or"
                + " a file:, hdfs: or s3a: URI")
        .doesNotContain("Exception")
        .doesNotContain("nonRetryable");
  }

  @Test
  void givenJournalThatCannotBeRead_whenListed_thenOneLineNamingTheRouteAndExit3(
      @TempDir Path dir) throws Exception {
    Path routes = routes(dir, "out/orders");
    Path journals = Files.createDirectories(dir.resolve("out/orders/_sluice/windows"));
    Files.writeString(journals.resolve("orders-20261122T100000.000Z.json"), "{not json");

    CliRun cli = CliRun.run("windows", "orders", "--routes", routes.toString(), "--no-open");

    assertThat(cli.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(cli.err().lines())
        .singleElement()
        .asString()
        .startsWith("cannot read the windows of route orders: window journal ")
        .contains("orders-20261122T100000.000Z.json is not valid JSON");
  }
}
