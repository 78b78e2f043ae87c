package dev.sluice.starter.realserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.workflows.common.ActivityProfiles;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Status checks yield to submits and extracts on a backlogged task queue, on the pinned dev server.
 * A run schedules {@value #CHECKS} status checks with the options the async-ingest workflows use
 * ({@link ActivityProfiles#serverPolling}, {@link ActivityProfiles#statusCheckWithin}), then, in a
 * later workflow task, a submit ({@link ActivityProfiles#SHORT_CALL}) and an extract ({@link
 * ActivityProfiles#EXTRACT}), while no worker polls the activity queue. A worker with one slot
 * started then takes the submit and the extract before any check. The control: the same server
 * with {@code matching.useNewMatcher=false} (the matcher without priority) hands out the backlog in
 * order, a check first, so the first test would fail on such a server.
 *
 * <p>One task-queue partition ({@code matching.numTaskqueue{Read,Write}Partitions=1}): the server
 * orders tasks by priority within a partition, and with the default four a task on a partition
 * polled later can come first (docs/deployment.md, "Status checks yield to the rest of the work").
 */
@ExtendWith(RealTemporal.class)
class ActivityPriorityRealTest {
  private static final String WORKFLOWS = "priority-workflows";
  private static final String ACTIVITIES = "priority-activities";
  static final int CHECKS = 40;
  static final List<String> ORDER = new CopyOnWriteArrayList<>();

  private TemporalDevServer server;
  private WorkflowServiceStubs service;
  private WorkerFactory workflows;
  private WorkerFactory activities;

  @AfterEach
  void stop() {
    if (activities != null) {
      activities.shutdownNow();
    }
    if (workflows != null) {
      workflows.shutdownNow();
    }
    if (service != null) {
      service.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
    ORDER.clear();
  }

  /** Stand-ins for the provider activities: each records that a worker took it. */
  @ActivityInterface
  public interface Probe {
    void checkStatus(int i);

    void submit();

    void extract();
  }

  public static final class ProbeImpl implements Probe {
    @Override
    public void checkStatus(int i) {
      ORDER.add("check-" + i);
    }

    @Override
    public void submit() {
      ORDER.add("submit");
    }

    @Override
    public void extract() {
      ORDER.add("extract");
    }
  }

  @WorkflowInterface
  public interface Backlog {
    @WorkflowMethod
    void run();
  }

  public static final class BacklogImpl implements Backlog {
    @Override
    public void run() {
      Duration left = Duration.ofMinutes(10);
      Probe serverPolled =
          stub(ActivityProfiles.serverPolling(Duration.ofSeconds(30), 1.0, left, left));
      Probe workflowPolled = stub(ActivityProfiles.statusCheckWithin(left));
      List<Promise<Void>> all = new ArrayList<>();
      for (int i = 0; i < CHECKS; i++) {
        all.add(Async.procedure((i % 2 == 0 ? serverPolled : workflowPolled)::checkStatus, i));
      }
      // A workflow task of its own: the submit and the extract are queued after every check.
      Workflow.sleep(Duration.ofSeconds(1));
      all.add(Async.procedure(stub(ActivityProfiles.SHORT_CALL)::submit));
      all.add(Async.procedure(stub(ActivityProfiles.EXTRACT)::extract));
      Promise.allOf(all).get();
    }

    private static Probe stub(ActivityOptions profile) {
      return Workflow.newActivityStub(
          Probe.class, ActivityOptions.newBuilder(profile).setTaskQueue(ACTIVITIES).build());
    }
  }

  @Test
  @Timeout(120)
  void givenABacklogOfStatusChecks_whenAWorkerStarts_thenItTakesTheSubmitAndTheExtractFirst()
      throws Exception {
    List<String> order = runBacklog(onePartition());

    assertThat(order).hasSize(CHECKS + 2);
    assertThat(order.subList(0, 2)).containsExactlyInAnyOrder("submit", "extract");
  }

  @Test
  @Timeout(120)
  void givenAServerWithoutPriority_whenAWorkerStarts_thenAStatusCheckComesFirst() throws Exception {
    List<String> order =
        runBacklog(onePartition().withDynamicConfig("matching.useNewMatcher", "false"));

    assertThat(order).hasSize(CHECKS + 2);
    assertThat(order.get(0)).startsWith("check-");
  }

  private static TemporalDevServer.Settings onePartition() {
    return TemporalDevServer.Settings.defaults()
        .withHeadless(true)
        .withLog(RealTemporal.scratch("priority").resolve("temporal.log"))
        .withDynamicConfig("matching.numTaskqueueReadPartitions", "1")
        .withDynamicConfig("matching.numTaskqueueWritePartitions", "1");
  }

  /**
   * Waits until matching reports {@code tasks} queued on the activity queue: scheduled in history
   * is not yet queued (the transfer to matching follows), and a worker started earlier could take a
   * check before the submit has arrived.
   */
  private void awaitBacklog(long tasks) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    long queued = 0;
    while (queued < tasks && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      queued =
          service
              .blockingStub()
              .describeTaskQueue(
                  DescribeTaskQueueRequest.newBuilder()
                      .setNamespace(TemporalDevServer.NAMESPACE)
                      .setTaskQueue(TaskQueue.newBuilder().setName(ACTIVITIES))
                      .setTaskQueueType(TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)
                      .setReportStats(true)
                      .build())
              .getStats()
              .getApproximateBacklogCount();
    }
    assertThat(queued).as("activity tasks queued").isGreaterThanOrEqualTo(tasks);
  }

  /** Queues the backlog with no activity worker, then starts one; the order it took the tasks. */
  private List<String> runBacklog(TemporalDevServer.Settings settings) throws Exception {
    server = TemporalDevServer.start(RealTemporal.cli(), settings);
    service = SandboxWorker.service(server.address());
    WorkflowClient client = SandboxWorker.client(service);
    workflows = WorkerFactory.newInstance(client);
    workflows.newWorker(WORKFLOWS).registerWorkflowImplementationTypes(BacklogImpl.class);
    workflows.start();
    Backlog backlog =
        client.newWorkflowStub(
            Backlog.class,
            WorkflowOptions.newBuilder().setTaskQueue(WORKFLOWS).setWorkflowId("backlog").build());
    WorkflowClient.start(backlog::run);
    Polling.await(
        "every activity scheduled",
        () ->
            service
                .blockingStub()
                .describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(TemporalDevServer.NAMESPACE)
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId("backlog"))
                        .build())
                .getPendingActivitiesList(),
        CHECKS + 2);
    awaitBacklog(CHECKS + 2);
    activities = WorkerFactory.newInstance(client);
    activities
        .newWorker(
            ACTIVITIES,
            WorkerOptions.newBuilder()
                .setMaxConcurrentActivityExecutionSize(1)
                .setMaxConcurrentActivityTaskPollers(1)
                .build())
        .registerActivitiesImplementations(new ProbeImpl());
    activities.start();
    WorkflowStub.fromTyped(backlog).getResult(60, TimeUnit.SECONDS, Void.class);
    return List.copyOf(ORDER);
  }
}
