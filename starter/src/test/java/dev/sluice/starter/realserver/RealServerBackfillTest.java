package dev.sluice.starter.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.starter.cli.CliRun;
import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.starter.e2e.MidExtract;
import dev.sluice.starter.e2e.ParquetTables;
import dev.sluice.workers.SluiceWorker;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A schedule's backfill over windows that already ran, on real Temporal Schedules, with the
 * example Salesforce pipeline against the sandbox: each window that ran before re-reads exactly
 * the range it committed and replaces its own rows, the new ones read what is new, and the table,
 * read back by DuckDB, holds every row the provider holds exactly once.
 */
@ExtendWith(RealTemporal.class)
class RealServerBackfillTest {
  private static final String QUEUE = "realserver-backfill";
  private static final String SCHEDULE = "contacts-backfill";
  private static final long SEED = 11;

  @TempDir Path work;

  @Test
  @Timeout(240)
  void givenThreeWindowsThatRan_whenFiveWindowsAreBackfilled_thenTheTableHoldsEveryRowOnce(
      TemporalDevServer server) throws Exception {
    // Every job ready at its first check.
    SandboxConfig config =
        SandboxConfig.defaults().withSeed(SEED).withContactRecords(200).withPollsBeforeReady(1);
    WorkflowServiceStubs service = SandboxWorker.service(server.address());
    WorkflowClient client = SandboxWorker.client(service);
    try (SandboxServer sandbox = SandboxServer.start(config);
        SluiceWorker worker = SandboxWorker.start(client, QUEUE, sandbox, config)) {
      Path pipeline = MidExtract.pipeline(work, 50_000);
      Path table = work.resolve("out/salesforce-contacts");
      ok(
          server, "schedule", "create", pipeline.toString(), "--id", SCHEDULE, "--cron",
          "0 0 * * *", "--overlap", "buffer-all", "--paused", "--task-queue", QUEUE);

      // Windows 1-3 run one at a time, new contacts arriving between them: 200, 10, 20 rows.
      backfill(server, "2026-03-01", "2026-03-01T01:00:00Z");
      awaitCompleted(client, 1);
      sandbox.salesforce().addContacts(10);
      backfill(server, "2026-03-02", "2026-03-02T01:00:00Z");
      awaitCompleted(client, 2);
      sandbox.salesforce().addContacts(20);
      backfill(server, "2026-03-03", "2026-03-03T01:00:00Z");
      awaitCompleted(client, 3);
      assertThat(ParquetTables.contacts(table)).hasSize(230);
      sandbox.salesforce().addContacts(30);

      // Five windows, three of which ran: each re-run replaces its own range, window 4 reads the
      // 30 new rows and window 5 nothing.
      backfill(server, "2026-03-01", "2026-03-05T00:00:00Z");
      List<WorkflowExecutionMetadata> runs = awaitCompleted(client, 8);

      assertThat(runs)
          .extracting(r -> r.getExecution().getWorkflowId())
          .as("each window ran once per backfill")
          .filteredOn(id -> id.endsWith("2026-03-01T00:00:00Z"))
          .hasSize(2);
      assertThat(sandbox.salesforce().stats().jobsCreated())
          .as("one job per window run")
          .isEqualTo(8);
      int count = sandbox.salesforce().contactCount();
      assertThat(count).isEqualTo(260);
      assertThat(ParquetTables.contacts(table))
          .containsExactlyElementsOf(ParquetTables.expected(ContactData.rows(SEED, 0, count)));
    } finally {
      CliRun.run(connected(server, "schedule", "delete", SCHEDULE));
      service.shutdownNow();
    }
  }

  /** Backfills the windows from {@code from} (a date) up to and including {@code to}. */
  private static void backfill(TemporalDevServer server, String from, String to) {
    ok(server, "schedule", "backfill", SCHEDULE, "--from", from, "--to", to);
  }

  private static List<WorkflowExecutionMetadata> awaitCompleted(WorkflowClient client, int count)
      throws InterruptedException {
    String query =
        "WorkflowId STARTS_WITH 'ingest/salesforce-contacts-' AND TaskQueue = '"
            + QUEUE
            + "' AND ExecutionStatus = 'Completed'";
    return Polling.await(query, () -> client.listExecutions(query).toList(), count);
  }

  private static void ok(TemporalDevServer server, String... args) {
    CliRun run = CliRun.run(connected(server, args));
    assertThat(run.exitCode()).as("sluice %s: %s", String.join(" ", args), run.err()).isZero();
  }

  private static String[] connected(TemporalDevServer server, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", server.address(), "--namespace", "default"));
    return all.toArray(String[]::new);
  }
}
