package dev.sluice.starter.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.starter.e2e.MidExtract;
import dev.sluice.starter.e2e.ParquetTables;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workers.SluiceWorker;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Temporal server itself dies (SIGKILL, no shutdown) while a run waits on a status timer, or
 * while its extract downloads, and comes back on the same SQLite file: the run goes on from its
 * history, with the one provider job it had submitted, and every row lands once. Each test runs on
 * a dev server of its own, not the shared one, since it kills it.
 */
@ExtendWith(RealTemporal.class)
class ServerKilledTest {
  private static final String QUEUE = "realserver-durability";

  /** The events that say what a run is doing; the last of them tells whether it is on a timer. */
  private static final Set<EventType> STEPS =
      Set.of(
          EventType.EVENT_TYPE_TIMER_STARTED,
          EventType.EVENT_TYPE_TIMER_FIRED,
          EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
          EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED);

  @TempDir Path work;
  private TemporalDevServer first;
  private TemporalDevServer second;
  private WorkflowServiceStubs service;
  private WorkflowClient client;

  @BeforeEach
  void startServer() {
    Path scratch = RealTemporal.scratch("durability");
    first =
        TemporalDevServer.start(
            RealTemporal.cli(),
            TemporalDevServer.Settings.defaults()
                .withDb(scratch.resolve("temporal.sqlite"))
                .withLog(scratch.resolve("temporal.log"))
                .withHeadless(true));
    service = SandboxWorker.service(first.address());
    client = SandboxWorker.client(service);
  }

  @AfterEach
  void stopServer() {
    service.shutdownNow();
    if (second != null) {
      second.close();
    }
    first.close();
  }

  /** SIGKILLs the server and starts it again on the same file and ports. */
  private void killAndRestart() {
    first.kill();
    assertThat(first.isAlive()).isFalse();
    second = TemporalDevServer.start(RealTemporal.cli(), first.settings());
  }

  @Test
  @Timeout(180)
  void givenTheServerKilledDuringAStatusTimer_whenRestartedOnItsFile_thenOneJobAndEveryRowOnce()
      throws Exception {
    int contacts = 500;
    // Ready at the third status check: the run waits on a timer after the first and the second.
    SandboxConfig config =
        SandboxConfig.defaults().withContactRecords(contacts).withPollsBeforeReady(3);
    try (SandboxServer sandbox = SandboxServer.start(config);
        SluiceWorker worker = SandboxWorker.start(client, QUEUE, sandbox, config)) {
      String id = start(MidExtract.pipeline(work, 50_000));
      awaitStatusTimer(id, sandbox);
      long checksBeforeKill = sandbox.salesforce().stats().statusPolls();

      killAndRestart();
      AsyncIngestResult result = result(id);

      assertThat(checksBeforeKill).as("killed while the job was still running").isLessThan(3);
      assertThat(sandbox.salesforce().stats().statusPolls())
          .as("the restarted server's timer led to the next check")
          .isGreaterThan(checksBeforeKill);
      assertOneJobAndEveryRowOnce(result, sandbox, config);
    }
  }

  @Test
  @Timeout(180)
  void givenTheServerKilledWhileTheExtractDownloads_whenRestartedOnItsFile_thenEveryRowOnce()
      throws Exception {
    int contacts = 2000;
    SandboxConfig config = SandboxConfig.defaults().withContactRecords(contacts);
    try (SandboxServer sandbox = SandboxServer.start(config);
        SluiceWorker worker = SandboxWorker.start(client, QUEUE, sandbox, config)) {
      // 20 pages of 100 rows, a second each: the download outlasts the server's restart.
      sandbox.salesforce().pageDelay(Duration.ofSeconds(1));
      String id = start(MidExtract.pipeline(work, 100));
      int checkpointed = MidExtract.awaitCheckpoint(client, id, 3);
      long pagesBeforeKill = sandbox.salesforce().stats().resultPagesServed();

      killAndRestart();
      // The slow pages only had to outlast the restart: the rest comes at once.
      sandbox.salesforce().pageDelay(Duration.ZERO);
      AsyncIngestResult result = result(id);

      assertThat(pagesBeforeKill).as("killed mid-download").isLessThan(contacts / 100);
      // One page may have been in flight at the checkpoint read; a retried attempt (had the
      // heartbeat timed out) would resume after the checkpoint, never from the first page.
      assertThat(sandbox.salesforce().stats().resultPagesServed())
          .as("no page is read again from the start")
          .isLessThanOrEqualTo(pagesBeforeKill + 1 + (contacts / 100) - checkpointed);
      assertOneJobAndEveryRowOnce(result, sandbox, config);
    }
  }

  private String start(Path pipeline) throws Exception {
    return PipelineRuns.start(
        client, QUEUE, new PipelineLoader().load(pipeline).spec(), "2026-11-10T00:00:00Z");
  }

  private AsyncIngestResult result(String id) throws Exception {
    return client
        .newUntypedWorkflowStub(id)
        .getResult(120, TimeUnit.SECONDS, AsyncIngestResult.class);
  }

  private void assertOneJobAndEveryRowOnce(
      AsyncIngestResult result, SandboxServer sandbox, SandboxConfig config) throws Exception {
    int contacts = sandbox.salesforce().contactCount();
    assertThat(result.rows()).isEqualTo(contacts);
    assertThat(sandbox.salesforce().stats().jobsCreated())
        .as("the provider job is not submitted again after the restart")
        .isEqualTo(1);
    assertThat(ParquetTables.contacts(work.resolve("out/salesforce-contacts")))
        .containsExactlyElementsOf(
            ParquetTables.expected(ContactData.rows(config.seed(), 0, contacts)));
  }

  /**
   * Waits until the run has checked its job at least once and its latest step is a started timer:
   * it is waiting for the next status check, with nothing in flight.
   */
  private void awaitStatusTimer(String id, SandboxServer sandbox) throws InterruptedException {
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
