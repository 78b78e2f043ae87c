package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.starter.dev.EmbeddedTemporal;
import dev.sluice.workers.SearchAttributeRegistrar;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The commands against the embedded dev server (Temporal's Java test server): Schedules are not
 * there, so every {@code schedule} command says so in one line; {@code list} works without a
 * visibility store. No worker runs: the runs listed are started and left open, or terminated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedServerCommandsTest {
  @TempDir Path dir;
  EmbeddedTemporal server;
  WorkflowServiceStubs service;
  WorkflowClient client;

  @BeforeAll
  void start() throws Exception {
    server = EmbeddedTemporal.start(0);
    service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(server.address()).build());
    client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    startRun("AsyncIngestWorkflow", "ingest/contacts/2026-11-21");
    startRun("AsyncIngestWorkflow", "ingest/contacts-2026-11-22T02:00:00Z");
    startRun("AsyncIngestWorkflow", "ingest/contacts2/2026-11-22");
    startRun("SomeOtherWorkflow", "ingest/contacts/not-a-pipeline-run");
    client.newUntypedWorkflowStub("ingest/contacts/2026-11-21").terminate("test");
  }

  private void startRun(String type, String id) throws InterruptedException {
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            type,
            WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue("nobody-polls").build());
    WorkflowExecution started = stub.start();
    assertThat(started.getWorkflowId()).isEqualTo(id);
    Thread.sleep(5); // distinct start times, so newest-first has one answer
  }

  @AfterAll
  void stop() {
    service.shutdownNow();
    server.close();
  }

  private CliRun sluice(String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--address";
    all[args.length + 1] = server.address();
    return CliRun.run(all);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "create FILE --id nightly --cron @daily",
        "list",
        "describe nightly",
        "pause nightly --note why",
        "unpause nightly",
        "trigger nightly --overlap allow-all",
        "backfill nightly --from 2026-11-01 --to 2026-11-02",
        "update nightly FILE --every 1h",
        "delete nightly"
      })
  void givenTheTestServer_whenAnyScheduleCommand_thenOneLineSayingSchedulesAreMissingAndExit3(
      String command) throws Exception {
    Path file = CliRun.minimalPipeline(dir);
    List<String> args = new java.util.ArrayList<>(List.of("schedule"));
    for (String word : command.split(" ")) {
      args.add(word.equals("FILE") ? file.toString() : word);
    }

    CliRun run = sluice(args.toArray(String[]::new));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(run.err()).isEqualTo(ScheduleCalls.UNSUPPORTED + System.lineSeparator());
    assertThat(run.out()).isEmpty();
  }

  @Test
  void givenTheTestServer_whenListing_thenPipelineRunsNewestFirstWithoutOtherWorkflowTypes() {
    CliRun run = sluice("list");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    assertThat(run.err()).contains("no visibility queries");
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0))
        .startsWith("ID")
        .contains("STATUS")
        .contains("START")
        .contains("CLOSE");
    assertThat(lines.subList(1, lines.size()))
        .extracting(line -> line.split("\\s+")[0])
        .containsExactly(
            "ingest/contacts2/2026-11-22",
            "ingest/contacts-2026-11-22T02:00:00Z",
            "ingest/contacts/2026-11-21");
    assertThat(lines.get(3)).contains("terminated");
    assertThat(lines.get(1)).contains("running").endsWith("-");
  }

  @Test
  void givenPipelineStatusAndLimit_whenListing_thenOnlyMatchingRuns() {
    CliRun contacts = sluice("list", "--pipeline", "contacts");
    CliRun terminated = sluice("list", "--status", "terminated");
    CliRun newest = sluice("list", "--limit", "1");
    CliRun failed = sluice("list", "--status", "failed");

    assertThat(ids(contacts))
        .containsExactly("ingest/contacts-2026-11-22T02:00:00Z", "ingest/contacts/2026-11-21");
    assertThat(ids(terminated)).containsExactly("ingest/contacts/2026-11-21");
    assertThat(ids(newest)).containsExactly("ingest/contacts2/2026-11-22");
    assertThat(failed.out()).isEqualTo("no runs" + System.lineSeparator());
  }

  @Test
  void givenARunThatEnded_whenCancelled_thenExit3SayingSo_andNothingRequested() {
    CliRun ended = sluice("cancel", "ingest/contacts/2026-11-21");
    CliRun unknown = sluice("cancel", "ingest/nobody/2026-11-21");

    assertThat(ended.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(ended.err())
        .isEqualTo(
            "run ingest/contacts/2026-11-21 has already ended (terminated); nothing to cancel"
                + System.lineSeparator());
    assertThat(ended.out()).isEmpty();
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(unknown.err()).contains("no running run with ID 'ingest/nobody/2026-11-21'");
  }

  @Test
  void givenTheTestServer_whenRegisteringSearchAttributes_thenAddedOnceAndNeverListable() {
    var first = SearchAttributeRegistrar.register(service, "default");
    var again = SearchAttributeRegistrar.register(service, "default");

    assertThat(first.values()).containsOnly(SearchAttributeRegistrar.Outcome.ADDED);
    assertThat(again.values()).containsOnly(SearchAttributeRegistrar.Outcome.ALREADY_REGISTERED);
    // The test server cannot list attributes, so starters leave them off there.
    assertThat(SearchAttributeRegistrar.registered(service, "default")).isEmpty();
    assertThat(PipelineRuns.searchAttributesRegistered(client)).isFalse();
  }

  private static List<String> ids(CliRun run) {
    assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
    return run.out().lines().skip(1).map(line -> line.split("\\s+")[0]).toList();
  }
}
