package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.dev.DevEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the CLI, as a user meets it: every problem is a clear message, the exit code
 * says what kind of problem it is, and nothing is published.
 */
class BadInputEndToEndTest {
  static final String QUEUE = "bad-input";
  static DevEnvironment dev;

  @TempDir Path work;

  @BeforeAll
  static void startStack() {
    dev = DevEnvironment.start(0, SandboxConfig.defaults().withContactRecords(200), QUEUE);
  }

  @AfterAll
  static void stopStack() {
    dev.close();
  }

  @AfterEach
  void resetSandbox() {
    dev.sandbox().salesforce().reset();
    dev.sandbox().generic().reset();
  }

  private static String[] args(String... head) {
    return Stream.concat(
            Stream.of(head),
            Stream.of("--address", dev.temporal().address(), "--task-queue", QUEUE))
        .toArray(String[]::new);
  }

  private Path pipeline(String name, String yaml) throws IOException {
    Path file = work.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  private static Path example(String name) {
    return Path.of("../examples", name);
  }

  private static boolean hasParquet(Path table) throws IOException {
    if (!Files.exists(table)) {
      return false;
    }
    try (Stream<Path> files = Files.list(table)) {
      return files.anyMatch(f -> f.toString().endsWith(".parquet"));
    }
  }

  @Test
  void givenBrokenYaml_whenValidating_thenLineAndColumnReportedAndExit2() throws IOException {
    Path file = pipeline("broken.yaml", "name: x\nsource:\n  type: async-http\n   submit: [\n");

    Cli cli = Cli.run("validate", file.toString());

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err()).containsPattern("broken\\.yaml:\\d+:\\d+: ");
  }

  @Test
  void givenSeveralProblems_whenRunning_thenAllReportedWithPathsAndNothingStarted()
      throws IOException {
    String yaml =
        Files.readString(example("salesforce-bulk-contacts.yaml"))
            .replace("readyWhen: ^JobComplete$", "readyWhen: ^(JobComplete$")
            .replace("interval: 2s", "interval: true")
            .replace("path: out/salesforce-contacts", "path: out/contacts\n  colour: blue");
    Path file = pipeline("several.yaml", yaml);

    Cli cli = Cli.run(args("run", file.toString(), "--wait"));

    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err())
        .contains("source.status.readyWhen: not a valid regular expression")
        .contains("source.status.interval:")
        .contains("unknown key 'colour'");
    assertThat(dev.sandbox().salesforce().stats().jobsCreated()).isZero();
  }

  @Test
  void givenNoTemporalServer_whenRunning_thenSaysHowToStartOneAndExit3() {
    Cli cli =
        Cli.run(
            "run", example("salesforce-bulk-contacts.yaml").toString(), "--address", "127.0.0.1:1");

    assertThat(cli.exitCode()).isEqualTo(3);
    assertThat(cli.err()).contains("cannot reach Temporal at 127.0.0.1:1").contains("sluice dev");
  }

  @Test
  void givenProviderFailsTheJob_whenRunning_thenProviderMessageShownAndNothingPublished()
      throws IOException {
    Path file =
        pipeline("failing.yaml", Files.readString(example("salesforce-bulk-contacts.yaml")));
    dev.sandbox().salesforce().failJobs("InvalidBatch : Failed to process query: QUERY_TIMEOUT");

    Cli cli = Cli.run(args("run", file.toString(), "--wait", "--logical-date", "2026-11-20"));

    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.err())
        .contains("failed (state 'Failed'): InvalidBatch : Failed to process query: QUERY_TIMEOUT");
    assertThat(hasParquet(work.resolve("out/salesforce-contacts"))).isFalse();
  }

  @Test
  void givenMissingSecret_whenRunning_thenReferenceNamedNeverAValueAndNothingPublished()
      throws IOException {
    String yaml =
        Files.readString(example("salesforce-bulk-contacts.yaml"))
            .replace("${env:SF_CLIENT_SECRET}", "${env:SLUICE_TEST_SECRET_THAT_IS_NOT_SET}");
    Path file = pipeline("secretless.yaml", yaml);

    Cli cli = Cli.run(args("run", file.toString(), "--wait", "--logical-date", "2026-11-21"));

    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.err())
        .contains("${env:SLUICE_TEST_SECRET_THAT_IS_NOT_SET}")
        .contains("not found");
    assertThat(dev.sandbox().salesforce().stats().jobsCreated()).isZero();
    assertThat(hasParquet(work.resolve("out/salesforce-contacts"))).isFalse();
  }

  @Test
  void givenMalformedPagesFromProvider_whenRunning_thenPageAndLineNamedAndNothingPublished()
      throws IOException {
    Path file = pipeline("events.yaml", Files.readString(example("generic-export-events.yaml")));
    dev.sandbox().generic().malformed(true);

    Cli cli = Cli.run(args("run", file.toString(), "--wait", "--logical-date", "2026-11-22"));

    assertThat(cli.exitCode()).isEqualTo(1);
    assertThat(cli.err()).containsPattern("page \\d+").containsPattern("line \\d+");
    assertThat(hasParquet(work.resolve("out/events"))).isFalse();
  }

  @Test
  void givenSameWindowAlreadyRunning_whenRunningAgain_thenRefusedWithTheRunsId()
      throws IOException {
    Path file = pipeline("slow.yaml", Files.readString(example("salesforce-bulk-contacts.yaml")));
    dev.sandbox().salesforce().pollsBeforeReady(1_000);
    assertThat(Cli.run(args("run", file.toString(), "--logical-date", "2026-11-23")).exitCode())
        .isZero();

    Cli again = Cli.run(args("run", file.toString(), "--logical-date", "2026-11-23"));

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("already in progress: ingest/salesforce-contacts/2026-11-23");
    Cli cancel =
        Cli.run(
            "cancel",
            "ingest/salesforce-contacts/2026-11-23",
            "--address",
            dev.temporal().address());
    assertThat(cancel.exitCode()).as(cancel.err()).isZero();
    // The cancelled run cleans up (abort, discard staging) in the temporary directory: let it
    // finish before JUnit deletes the directory.
    org.assertj.core.api.Assertions.catchThrowable(
        () ->
            dev.client()
                .newUntypedWorkflowStub("ingest/salesforce-contacts/2026-11-23")
                .getResult(30, java.util.concurrent.TimeUnit.SECONDS, Object.class));
  }
}
