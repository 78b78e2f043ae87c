package dev.sluice.workflows.permits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.workflows.activities.WindowMessages.Holder;
import dev.sluice.workflows.permits.PermitMessages.PermitAnswer;
import dev.sluice.workflows.permits.PermitMessages.PermitEntry;
import dev.sluice.workflows.permits.PermitMessages.PermitRequest;
import dev.sluice.workflows.permits.PermitMessages.PermitsState;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The permits workflow on its own: requests and releases sent as a holder's activity sends them. */
class PermitsWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(PermitsWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private TestWorkflowEnvironment env;
  private WorkflowClient client;
  private String queue;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    this.env = env;
    this.queue = worker.getTaskQueue();
    worker.registerActivitiesImplementations(new PermitActivitiesImpl());
    env.start();
    client = env.getWorkflowClient();
  }

  private PermitsWorkflow start(PermitsState state) {
    PermitsWorkflow permits =
        client.newWorkflowStub(
            PermitsWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(queue)
                .setWorkflowId(LimitKeys.permits(state.key()))
                .build());
    WorkflowClient.start(permits::run, state);
    return permits;
  }

  private static Holder holder(String id) {
    return new Holder(id, "first-run-of-" + id);
  }

  private static PermitRequest request(String id, int max) {
    return new PermitRequest("k", max, holder(id), id);
  }

  private String currentRunId() {
    return env.getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(
                    WorkflowExecution.newBuilder().setWorkflowId(LimitKeys.permits("k")))
                .build())
        .getWorkflowExecutionInfo()
        .getExecution()
        .getRunId();
  }

  @Test
  void givenARequestSentAgain_whenAnswered_thenTheHolderKeepsOnePermitOrOnePlace() {
    PermitsWorkflow permits = start(PermitsState.empty("k"));

    PermitAnswer first = permits.acquire(request("a", 1));
    PermitAnswer again = permits.acquire(request("a", 1));
    PermitAnswer waiting = permits.acquire(request("b", 1));
    PermitAnswer waitingAgain = permits.acquire(request("b", 1));

    assertThat(first).isEqualTo(new PermitAnswer(true, 0, 1, 1));
    assertThat(again).isEqualTo(first);
    assertThat(waiting).isEqualTo(new PermitAnswer(false, 1, 1, 1));
    assertThat(waitingAgain).isEqualTo(waiting);
    assertThat(permits.state().holders()).extracting(PermitEntry::holder).containsExactly(holder("a"));
    assertThat(permits.state().waiters()).extracting(PermitEntry::holder).containsExactly(holder("b"));
  }

  @Test
  void givenTheNextInLineIsGone_whenAPermitFrees_thenItDoesNotKeepIt() {
    PermitsWorkflow permits = start(PermitsState.empty("k"));
    permits.acquire(request("a", 1));
    permits.acquire(request("gone", 1));
    permits.acquire(request("c", 1));

    permits.release(holder("a"));
    env.sleep(PermitsWorkflowImpl.RECLAIM_EVERY.multipliedBy(3));

    // No workflow "gone" or "c" runs: neither can be told (or the next check finds it closed),
    // so neither keeps the permit.
    assertThat(permits.state().holders()).isEmpty();
    assertThat(permits.state().waiters()).isEmpty();
  }

  @Test
  void givenALongHistory_whenItContinuesAsNew_thenHoldersAndWaitersAreCarriedInOrder() {
    PermitsWorkflow permits =
        start(new PermitsState("k", List.of(), List.of(), 0, 30));
    String firstRun = currentRunId();
    permits.acquire(request("holder", 1));
    permits.acquire(request("w1", 1));
    permits.acquire(request("w2", 1));
    for (int i = 0; i < 10; i++) {
      // Requests and releases of others add events; none of them changes the line.
      permits.acquire(request("w1", 1));
      permits.release(holder("nobody-" + i));
    }
    env.sleep(java.time.Duration.ofSeconds(1));

    assertThat(currentRunId()).as("continued as new").isNotEqualTo(firstRun);
    PermitsState state = permits.state();
    assertThat(state.holders()).extracting(PermitEntry::holder).containsExactly(holder("holder"));
    assertThat(state.waiters())
        .extracting(PermitEntry::holder)
        .containsExactly(holder("w1"), holder("w2"));
    assertThat(state.maxEvents()).isEqualTo(30);
    assertThat(permits.acquire(request("w2", 1)).position()).isEqualTo(2);
  }
}
