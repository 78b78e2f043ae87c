package dev.sluice.starter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-runs, replays and backfills of an incremental pipeline lose nothing and duplicate nothing:
 * each window re-reads exactly the watermark range it committed. The example pipeline through the
 * CLI, against the sandbox; the table read back by DuckDB and compared row for row with what the
 * provider holds.
 */
class WindowRangesEndToEndTest {
  private static final String QUEUE = "e2e-windows";
  private static final long SEED = 7;

  @TempDir Path work;
  private DevEnvironment dev;
  private Path pipeline;
  private Path table;

  @BeforeEach
  void startStack() throws Exception {
    // Ready on the first status check: these runs prove ranges, not polling, so none waits out
    // an interval.
    dev =
        DevEnvironment.start(
            0,
            SandboxConfig.defaults()
                .withSeed(SEED)
                .withContactRecords(1000)
                .withPollsBeforeReady(1),
            QUEUE);
    pipeline = AsyncIngestEndToEndTest.examplePipeline(work.resolve("p"), 50_000);
    table = work.resolve("p/out/salesforce-contacts");
  }

  @AfterEach
  void stopStack() {
    dev.close();
  }

  private String[] args(String... head) {
    return Stream.concat(
            Stream.of(head),
            Stream.of("--address", dev.temporal().address(), "--task-queue", QUEUE))
        .toArray(String[]::new);
  }

  private Cli run(String logicalDate) {
    Cli run = Cli.run(args("run", pipeline.toString(), "--wait", "--logical-date", logicalDate));
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    return run;
  }

  private void assertTableHoldsExactlyWhatTheProviderHolds() throws Exception {
    int count = dev.sandbox().salesforce().contactCount();
    assertThat(ParquetTables.contacts(table))
        .containsExactlyElementsOf(ParquetTables.expected(ContactData.rows(SEED, 0, count)));
  }

  @Test
  void givenTheLatestWindowRunAgain_whenPublished_thenItReplacesItsOwnRowsAndLosesNone()
      throws Exception {
    run("2026-11-01T00:00:00Z");
    dev.sandbox().salesforce().addContacts(10);
    Cli second = run("2026-11-02T00:00:00Z");
    assertThat(second.out()).contains("rows          10 from 1 page");

    Cli again = run("2026-11-02T00:00:00Z");

    assertThat(again.out())
        .contains("rows          10 from 1 page")
        .contains("replaced      10 rows in 1 file by 10 rows in 1 file");
    assertThat(ParquetTables.contacts(table)).hasSize(1010);
    assertTableHoldsExactlyWhatTheProviderHolds();
  }

  @Test
  void givenNewerWindows_whenAnOlderAMiddleAndTheLatestWindowAreRunAgain_thenTheTableStaysExact()
      throws Exception {
    run("2026-11-01T00:00:00Z");
    dev.sandbox().salesforce().addContacts(10);
    run("2026-11-02T00:00:00Z");
    dev.sandbox().salesforce().addContacts(20);
    run("2026-11-03T00:00:00Z");
    dev.sandbox().salesforce().addContacts(30);
    run("2026-11-04T00:00:00Z");
    assertTableHoldsExactlyWhatTheProviderHolds();

    assertThat(run("2026-11-02T00:00:00Z").out()).contains("replaced      10 rows");
    assertTableHoldsExactlyWhatTheProviderHolds();
    assertThat(run("2026-11-01T00:00:00Z").out()).contains("replaced      1000 rows");
    assertTableHoldsExactlyWhatTheProviderHolds();
    assertThat(run("2026-11-04T00:00:00Z").out()).contains("replaced      30 rows");
    assertTableHoldsExactlyWhatTheProviderHolds();
    assertThat(ParquetTables.contacts(table)).hasSize(1060);
  }

  @Test
  void givenNewerWindows_whenAnOlderRangeIsReplayed_thenTheTableStaysExact() throws Exception {
    run("2026-11-01T00:00:00Z");
    dev.sandbox().salesforce().addContacts(10);
    run("2026-11-02T00:00:00Z");
    dev.sandbox().salesforce().addContacts(20);
    run("2026-11-03T00:00:00Z");

    Cli replay =
        Cli.run(
            args(
                "replay",
                pipeline.toString(),
                "--from",
                "2026-10-31T00:00:00Z",
                "--to",
                "2026-11-02T00:00:00Z",
                "--parallel",
                "2",
                "--wait"));

    assertThat(replay.exitCode()).as(replay.out() + replay.err()).isZero();
    assertTableHoldsExactlyWhatTheProviderHolds();
    assertThat(ParquetTables.contacts(table)).hasSize(1030);
    // The table's watermark was not moved back: a new window reads only what is new.
    dev.sandbox().salesforce().addContacts(5);
    assertThat(run("2026-11-04T00:00:00Z").out()).contains("rows          5 from 1 page");
    assertTableHoldsExactlyWhatTheProviderHolds();
  }

  @Test
  void givenATableWrittenWithoutRanges_whenAnOldWindowIsRunAgain_thenItIsRefusedAndNothingChanges()
      throws Exception {
    run("2026-11-01T00:00:00Z");
    // As an earlier version of Sluice left it: the window's files, no recorded range.
    Path record =
        table.resolve("_sluice/windows/ingest_salesforce-contacts_2026-11-01T00-00-00Z.json");
    assertThat(record).exists();
    Files.delete(record);

    Cli again =
        Cli.run(
            args("run", pipeline.toString(), "--wait", "--logical-date", "2026-11-01T00:00:00Z"));

    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.out() + again.err())
        .contains("window 2026-11-01T00:00:00Z")
        .contains("recorded no watermark range");
    assertTableHoldsExactlyWhatTheProviderHolds();
    dev.sandbox().salesforce().addContacts(3);
    assertThat(run("2026-11-02T00:00:00Z").out())
        .as("new windows keep working")
        .contains("rows          3 from 1 page");
  }

  @Test
  void givenCommittedWindows_whenStateShown_thenEachWindowsRangeRowsFilesAndRunArePrinted()
      throws Exception {
    run("2026-11-01T00:00:00Z");
    dev.sandbox().salesforce().addContacts(10);
    run("2026-11-02T00:00:00Z");

    Cli text = Cli.run("state", "show", pipeline.toString());
    Cli json = Cli.run("state", "show", pipeline.toString(), "--output", "json");
    Cli reset =
        Cli.run("state", "reset", pipeline.toString(), "--to", "1970-01-01T00:00:00.000Z", "--yes");

    assertThat(text.exitCode()).as(text.err()).isZero();
    assertThat(text.out())
        .contains("windows       2")
        .contains("2026-11-02T00:00:00Z")
        .contains("ingest/salesforce-contacts/2026-11-02T00:00:00Z");
    var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(tree.path("windows")).hasSize(2);
    assertThat(tree.path("windows").get(0).path("rows").asLong()).isEqualTo(1000);
    assertThat(tree.path("windows").get(1).path("rows").asLong()).isEqualTo(10);
    assertThat(tree.path("windows").get(1).path("from").asText())
        .isEqualTo(tree.path("windows").get(0).path("to").asText());
    assertThat(tree.path("watermark").path("value").asText())
        .isEqualTo(tree.path("windows").get(1).path("to").asText());
    assertThat(reset.exitCode()).isEqualTo(2);
    assertThat(reset.err()).contains("committed windows own rows above").contains("2026-11-01");
  }

  @Test
  void givenALegacyTable_whenTheWatermarkIsResetAndTheOldFilesDeleted_thenANewWindowReadsThemOnce()
      throws Exception {
    run("2026-11-01T00:00:00Z");
    // As an earlier version left it: files without a range. The repair the refusal names.
    Files.delete(
        table.resolve("_sluice/windows/ingest_salesforce-contacts_2026-11-01T00-00-00Z.json"));
    try (var parts = Files.list(table)) {
      for (Path p : parts.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        Files.delete(p);
      }
    }

    Cli reset =
        Cli.run("state", "reset", pipeline.toString(), "--to", "1970-01-01T00:00:00.000Z", "--yes");

    assertThat(reset.exitCode()).as(reset.err()).isZero();
    assertThat(Cli.run("state", "show", pipeline.toString()).out())
        .contains("reset ")
        .contains("→ 1970-01-01T00:00:00.000Z");
    run("2026-11-02T00:00:00Z");
    assertTableHoldsExactlyWhatTheProviderHolds();
  }

  @Test
  void givenARunningRunOfAWindow_whenAScheduledRunOfTheSameWindowStarts_thenItIsRefusedNamingIt()
      throws Exception {
    String date = "2026-11-01T00:00:00Z";
    dev.sandbox().salesforce().readyAfter(java.time.Duration.ofMinutes(10));
    // One status check, then a long timer: the cancel below must not race a status check in
    // flight. The embedded test server refuses the cancel of an activity that has just completed
    // (ACTIVITY_UNKNOWN) and never hands the workflow task out again; a real server retries it.
    Files.writeString(
        pipeline,
        Files.readString(pipeline)
            .replace("interval: 2s", "interval: 10m")
            .replace("maxInterval: 30s", "maxInterval: 10m"));
    dev.sandbox().salesforce().pollsBeforeReady(2); // the run must still be waiting on its job
    Cli first = Cli.run(args("run", pipeline.toString(), "--logical-date", date));
    assertThat(first.exitCode()).as(first.err()).isZero();
    Path lease =
        table.resolve("_sluice/leases/window-ingest_salesforce-contacts_2026-11-01T00-00-00Z.json");
    for (int i = 0; i < 100 && !Files.exists(lease); i++) {
      Thread.sleep(100);
    }
    assertThat(lease).exists();
    for (int i = 0; i < 100 && dev.sandbox().salesforce().stats().statusPolls() < 1; i++) {
      Thread.sleep(100);
    }
    assertThat(dev.sandbox().salesforce().stats().statusPolls()).isEqualTo(1);
    Thread.sleep(1000); // the check's completion reaches the workflow, which starts its timer

    // As a Schedule starts it: another workflow ID, the same window.
    var spec = new PipelineLoader().load(pipeline).spec();
    var scheduled =
        dev.client()
            .newWorkflowStub(
                AsyncIngestWorkflow.class,
                io.temporal.client.WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowId("ingest/salesforce-contacts-" + date)
                    .build());

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> scheduled.run(AsyncIngestInput.of(spec, date)))
        .rootCause()
        .hasMessageContaining("is already being run by workflow ingest/salesforce-contacts/" + date)
        .hasMessageContaining("sluice cancel ingest/salesforce-contacts/" + date);
    assertThat(lease).as("the running one still holds it").exists();

    Cli cancel =
        Cli.run(
            "cancel", "ingest/salesforce-contacts/" + date, "--address", dev.temporal().address());
    assertThat(cancel.exitCode()).as(cancel.err()).isZero();
    // The clean-up runs before the run closes: wait for it to close (however loaded the machine),
    // then the lease must be gone.
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                dev.client()
                    .newUntypedWorkflowStub("ingest/salesforce-contacts/" + date)
                    .getResult(3, java.util.concurrent.TimeUnit.MINUTES, Void.class))
        .isInstanceOf(io.temporal.client.WorkflowFailedException.class);
    assertThat(lease).as("released by the cancelled run's clean-up").doesNotExist();
  }

  @Test
  void givenALeaseLeftByARunThatNoLongerExists_whenTheWindowRuns_thenTheLeaseIsTakenOver()
      throws Exception {
    Path leases = table.resolve("_sluice/leases");
    Files.createDirectories(leases);
    String ghost =
        "{\"workflowId\":\"ingest/salesforce-contacts/terminated\",\"firstRunId\":\"r0\","
            + "\"window\":\"2026-11-01T00:00:00Z\",\"claimedAt\":\"2026-11-01T00:01:00Z\"}";
    Files.writeString(
        leases.resolve("window-ingest_salesforce-contacts_2026-11-01T00-00-00Z.json"), ghost);
    Files.writeString(leases.resolve("head.json"), ghost);

    run("2026-11-01T00:00:00Z");

    assertTableHoldsExactlyWhatTheProviderHolds();
    try (var left = Files.list(leases)) {
      assertThat(left.filter(p -> !p.getFileName().toString().startsWith(".")).toList()).isEmpty();
    }
  }
}
