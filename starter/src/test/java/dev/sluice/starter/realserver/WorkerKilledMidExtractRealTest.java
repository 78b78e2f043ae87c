package dev.sluice.starter.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.starter.e2e.MidExtract;
import dev.sluice.starter.e2e.ParquetTables;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workers.SluiceWorker;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole worker process (workflows and activities) SIGKILLed in the middle of a download on the
 * real server: the server itself notices it, by the extract's heartbeat timeout (10 seconds here,
 * set for the test) and by moving the run's workflow tasks off the dead worker's sticky queue, and
 * a worker started afterwards resumes the extract from its last checkpoint. One provider job, every
 * row once. (The embedded test server's version, {@code e2e.WorkerKilledMidExtractTest}, must keep
 * workflow tasks on a worker that lives.)
 */
@ExtendWith(RealTemporal.class)
class WorkerKilledMidExtractRealTest {
  private static final String QUEUE = "realserver-worker-killed";
  private static final int CONTACTS = 1500;
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path work;

  @Test
  @Timeout(180)
  void givenAWorkerKilledMidExtract_whenItsHeartbeatTimesOut_thenAnotherWorkerFinishesExactly(
      TemporalDevServer server) throws Exception {
    SandboxConfig config = SandboxConfig.defaults().withContactRecords(CONTACTS);
    WorkflowServiceStubs service = SandboxWorker.service(server.address());
    WorkflowClient client = SandboxWorker.client(service);
    Process doomed = null;
    try (SandboxServer sandbox = SandboxServer.start(config)) {
      // 15 pages of 100 rows, a second each; a checkpoint after every page.
      sandbox.salesforce().pageDelay(Duration.ofSeconds(1));
      Map<String, String> env = new HashMap<>(DevEnvironment.sandboxEnvironment(sandbox, config));
      env.put(ShortHeartbeatWorker.TIMEOUT_VARIABLE, Long.toString(HEARTBEAT_TIMEOUT.toSeconds()));
      doomed =
          MidExtract.workerProcess(
              ShortHeartbeatWorker.class,
              server.address(),
              QUEUE,
              env,
              work.resolve("doomed-worker.log"));
      String id =
          PipelineRuns.start(
              client,
              QUEUE,
              new PipelineLoader().load(MidExtract.pipeline(work, 100)).spec(),
              "2026-11-10T00:00:00Z");
      int checkpointed = MidExtract.awaitCheckpoint(client, id, 3);
      doomed.destroyForcibly().waitFor();
      long pagesBeforeKill = sandbox.salesforce().stats().resultPagesServed();
      // The slow pages only had to keep the kill mid-download: the survivor gets the rest at once.
      sandbox.salesforce().pageDelay(Duration.ZERO);

      AsyncIngestResult result;
      try (SluiceWorker survivor = SandboxWorker.start(client, QUEUE, sandbox, config)) {
        result =
            client
                .newUntypedWorkflowStub(id)
                .getResult(120, TimeUnit.SECONDS, AsyncIngestResult.class);
      }

      assertThat(pagesBeforeKill).as("killed mid-download").isLessThan(CONTACTS / 100);
      List<HistoryEvent> events = client.fetchHistory(id).getEvents();
      var scheduled =
          extractEvent(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
              .getActivityTaskScheduledEventAttributes();
      assertThat(scheduled.getHeartbeatTimeout().getSeconds())
          .as("the extract ran under the test's short heartbeat timeout")
          .isEqualTo(HEARTBEAT_TIMEOUT.toSeconds());
      var started =
          extractEvent(events, EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
              .getActivityTaskStartedEventAttributes();
      assertThat(started.getAttempt())
          .as("the extract finished on its second attempt")
          .isEqualTo(2);
      assertThat(started.getLastFailure().getTimeoutFailureInfo().getTimeoutType())
          .as("the first attempt ended by the server's heartbeat timeout")
          .isEqualTo(TimeoutType.TIMEOUT_TYPE_HEARTBEAT);
      var stats = sandbox.salesforce().stats();
      assertThat(stats.jobsCreated()).as("the provider job is never submitted twice").isEqualTo(1);
      // One page may have been in flight when the worker died and be counted late.
      assertThat(stats.resultPagesServed())
          .as("the new worker resumes after the %d checkpointed pages", checkpointed)
          .isLessThanOrEqualTo(pagesBeforeKill + 1 + (CONTACTS / 100) - checkpointed);
      assertThat(result.rows()).isEqualTo(CONTACTS);
      assertThat(ParquetTables.contacts(work.resolve("out/salesforce-contacts")))
          .containsExactlyElementsOf(
              ParquetTables.expected(ContactData.rows(config.seed(), 0, CONTACTS)));
    } finally {
      if (doomed != null) {
        doomed.destroyForcibly();
      }
      service.shutdownNow();
    }
  }

  /** The extract's event of {@code type} (a retried activity's started event is its last one). */
  private static HistoryEvent extractEvent(List<HistoryEvent> events, EventType type) {
    long scheduledId =
        events.stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
            .filter(
                e ->
                    e.getActivityTaskScheduledEventAttributes()
                        .getActivityType()
                        .getName()
                        .equals("Extract"))
            .findFirst()
            .orElseThrow()
            .getEventId();
    return events.stream()
        .filter(
            e ->
                e.getEventId() == scheduledId
                    || (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED
                        && e.getActivityTaskStartedEventAttributes().getScheduledEventId()
                            == scheduledId))
        .filter(e -> e.getEventType() == type)
        .findFirst()
        .orElseThrow();
  }
}
