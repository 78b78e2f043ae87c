package dev.sluice.starter.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.dev.TemporalCli;
import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.starter.e2e.ParquetTables;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workers.SluiceWorker;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Temporal server itself dies (SIGKILL, no shutdown) while a run waits on a status timer, and
 * comes back on the same SQLite file: the run goes on from its history, with the one provider job
 * it had submitted, and every row lands once. Runs on a dev server of its own, not the shared one,
 * since it kills it.
 */
@ExtendWith(RealTemporal.class)
class ServerKilledMidWaitTest {
  private static final String QUEUE = "realserver-durability";
  private static final int CONTACTS = 500;

  /** The events that say what a run is doing; the last of them tells whether it is on a timer. */
  private static final Set<EventType> STEPS =
      Set.of(
          EventType.EVENT_TYPE_TIMER_STARTED,
          EventType.EVENT_TYPE_TIMER_FIRED,
          EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
          EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);

  @TempDir Path work;

  @Test
  @Timeout(180)
  void givenTheServerKilledDuringAStatusTimer_whenRestartedOnItsFile_thenOneJobAndEveryRowOnce()
      throws Exception {
    TemporalCli cli = RealTemporal.cli();
    Path scratch = RealTemporal.scratch("durability");
    TemporalDevServer first =
        TemporalDevServer.start(
            cli,
            TemporalDevServer.Settings.defaults()
                .withDb(scratch.resolve("temporal.sqlite"))
                .withLog(scratch.resolve("temporal.log"))
                .withHeadless(true));
    TemporalDevServer second = null;
    // Ready at the third status check: the run waits on a timer after the first and the second.
    SandboxConfig config =
        SandboxConfig.defaults().withContactRecords(CONTACTS).withPollsBeforeReady(3);
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(first.address()).build());
    try (SandboxServer sandbox = SandboxServer.start(config)) {
      WorkflowClient client =
          WorkflowClient.newInstance(
              service,
              WorkflowClientOptions.newBuilder()
                  .setNamespace(TemporalDevServer.NAMESPACE)
                  .build());
      Map<String, String> env = DevEnvironment.sandboxEnvironment(sandbox, config);
      try (SluiceWorker worker =
          SluiceWorker.start(
              client,
              QUEUE,
              ActivityLibrary.create(
                  name -> env.getOrDefault(name, System.getenv(name)), new SimpleMeterRegistry()),
              Duration.ofSeconds(5))) {
        String id =
            PipelineRuns.start(
                client,
                QUEUE,
                new PipelineLoader().load(contactsPipeline()).spec(),
                "2026-11-10T00:00:00Z");
        awaitStatusTimer(client, id, sandbox);
        long checksBeforeKill = sandbox.salesforce().stats().statusPolls();

        first.kill();
        assertThat(first.isAlive()).isFalse();
        second = TemporalDevServer.start(cli, first.settings());

        AsyncIngestResult result =
            client
                .newUntypedWorkflowStub(id)
                .getResult(120, TimeUnit.SECONDS, AsyncIngestResult.class);

        assertThat(checksBeforeKill).as("killed while the job was still running").isLessThan(3);
        assertThat(sandbox.salesforce().stats().statusPolls())
            .as("the restarted server's timer led to the next check")
            .isGreaterThan(checksBeforeKill);
        assertThat(result.rows()).isEqualTo(CONTACTS);
        assertThat(sandbox.salesforce().stats().jobsCreated())
            .as("the provider job is not submitted again after the restart")
            .isEqualTo(1);
        assertThat(ParquetTables.contacts(work.resolve("out/salesforce-contacts")))
            .containsExactlyElementsOf(
                ParquetTables.expected(ContactData.rows(config.seed(), 0, CONTACTS)));
      }
    } finally {
      service.shutdownNow();
      if (second != null) {
        second.close();
      }
      first.close();
    }
  }

  /** The example Salesforce pipeline, in {@code work}, checking its job every second. */
  private Path contactsPipeline() throws Exception {
    Path file = work.resolve("contacts.yaml");
    Files.writeString(
        file,
        Files.readString(Path.of("../examples/salesforce-bulk-contacts.yaml"))
            .replace("interval: 2s", "interval: 1s"));
    return file;
  }

  /**
   * Waits until the run has checked its job at least once and its latest step is a started timer:
   * it is waiting for the next status check, with nothing in flight.
   */
  private static void awaitStatusTimer(WorkflowClient client, String id, SandboxServer sandbox)
      throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      if (sandbox.salesforce().stats().statusPolls() >= 1) {
        List<HistoryEvent> steps =
            client.fetchHistory(id).getEvents().stream()
                .filter(e -> STEPS.contains(e.getEventType()))
                .toList();
        if (!steps.isEmpty()
            && steps.get(steps.size() - 1).getEventType()
                == EventType.EVENT_TYPE_TIMER_STARTED) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the run never waited on a status timer");
  }
}
