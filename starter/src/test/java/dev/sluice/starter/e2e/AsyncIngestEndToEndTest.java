package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.dev.DevEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path a user takes: the sandbox, the embedded Temporal server, a worker and the CLI
 * running the example pipeline; the output read back by DuckDB and compared row for row.
 */
class AsyncIngestEndToEndTest {
  static final String QUEUE = "e2e";
  static final long SEED = 42;
  static DevEnvironment dev;

  @TempDir static Path work;

  @BeforeAll
  static void startStack() {
    // Jobs ready at the first check: these runs prove what lands, not the polling.
    dev =
        DevEnvironment.start(
            0,
            SandboxConfig.defaults()
                .withSeed(SEED)
                .withContactRecords(1000)
                .withPollsBeforeReady(1),
            QUEUE);
  }

  @AfterAll
  static void stopStack() {
    dev.close();
  }

  /** The example pipeline, copied beside its own output, with a small page size so it pages. */
  static Path examplePipeline(Path dir, int pageSize) throws IOException {
    String yaml = Files.readString(Path.of("../examples/salesforce-bulk-contacts.yaml"));
    Files.createDirectories(dir);
    Path file = dir.resolve("contacts.yaml");
    Files.writeString(file, yaml.replace("pageSize: 50000", "pageSize: " + pageSize));
    return file;
  }

  static String[] connection() {
    return new String[] {"--address", dev.temporal().address(), "--task-queue", QUEUE};
  }

  static String[] args(String... head) {
    return Stream.concat(Stream.of(head), Stream.of(connection())).toArray(String[]::new);
  }

  @Test
  void givenExamplePipeline_whenRunTwiceFromCli_thenEveryRowOnceAndSecondRunOnlyNewerRows()
      throws Exception {
    Path pipeline = examplePipeline(work.resolve("incremental"), 300);
    Path table = work.resolve("incremental/out/salesforce-contacts");

    Cli first =
        Cli.run(
            args("run", pipeline.toString(), "--wait", "--logical-date", "2026-11-01T00:00:00Z"));

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("run ingest/salesforce-contacts/2026-11-01T00:00:00Z succeeded")
        .contains("rows          1000 from 4 pages")
        .contains(table.toString());
    List<Map<String, String>> served = ParquetTables.expected(ContactData.rows(SEED, 0, 1000));
    assertThat(ParquetTables.contacts(table)).containsExactlyElementsOf(served);

    dev.sandbox().salesforce().addContacts(250);
    Cli second =
        Cli.run(
            args("run", pipeline.toString(), "--wait", "--logical-date", "2026-11-02T00:00:00Z"));

    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("rows          250 from 1 page");
    assertThat(ParquetTables.contacts(table))
        .containsExactlyElementsOf(ParquetTables.expected(ContactData.rows(SEED, 0, 1250)));
    assertThat(dev.sandbox().salesforce().stats().jobsCreated()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void givenRunWithCredentials_whenHistoryFetched_thenOnlySecretReferencesAppear()
      throws Exception {
    Path pipeline = examplePipeline(work.resolve("secrets"), 50_000);
    Cli run = Cli.run(args("run", pipeline.toString(), "--wait", "--logical-date", "2026-11-03"));
    assertThat(run.exitCode()).as(run.err()).isZero();

    // Protobuf text format shows payload bytes as (escaped) text; JSON would base64 them.
    String history =
        dev.client().fetchHistory("ingest/salesforce-contacts/2026-11-03").getEvents().stream()
            .map(Object::toString)
            .collect(java.util.stream.Collectors.joining("\n"));

    assertThat(history)
        .contains("${env:SF_CLIENT_SECRET}")
        .doesNotContain(SandboxConfig.defaults().clientSecret())
        .doesNotContain(dev.sandbox().baseUrl() + "/services")
        .doesNotContainIgnoringCase("access_token");
  }

  @Test
  void givenSameWindowRunAgain_whenPublished_thenFilesAreReplacedNotDuplicated() throws Exception {
    Path pipeline = examplePipeline(work.resolve("rerun"), 50_000);
    Files.writeString(
        pipeline,
        Files.readString(pipeline)
            .replace(
                "incremental:\n  column: SystemModstamp\n  initial: \"1970-01-01T00:00:00.000Z\"\n"
                    + "  openEnd: \"9999-12-31T23:59:59.000Z\"\n",
                "")
            .replace(
                "WHERE SystemModstamp > ${watermark} AND SystemModstamp <= ${watermarkEnd} ", ""));
    Path table = work.resolve("rerun/out/salesforce-contacts");

    for (int i = 0; i < 2; i++) {
      Cli run = Cli.run(args("run", pipeline.toString(), "--wait", "--logical-date", "2026-11-05"));
      assertThat(run.exitCode()).as(run.err()).isZero();
    }

    assertThat(ParquetTables.contacts(table)).hasSize(dev.sandbox().salesforce().contactCount());
  }
}
