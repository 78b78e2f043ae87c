package dev.sluice.workflows.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.Expire;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.ExpireRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.ExpireResult;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.Orphans;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.OrphansRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.OrphansResult;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.Rewrite;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.RewriteRequest;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.RewriteResult;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.TableMaintenanceInput;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.TableMaintenanceResult;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The maintenance workflow with recording activities: which steps run, in which order, retried. */
class TableMaintenanceWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(TableMaintenanceWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private static final IcebergSink SINK =
      new IcebergSink(
          new IcebergCatalogSpec.Hadoop("file:///w"),
          "crm.contacts",
          null,
          null,
          null,
          null,
          null,
          null,
          null);

  /** Records each call; the first {@code failFirst} rewrites fail as a lost commit race does. */
  static final class Recording implements IcebergTableActivities {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger failFirst = new AtomicInteger();

    @Override
    public ExpireResult expireSnapshots(ExpireRequest request) {
      calls.add("expire " + request.policy().olderThan() + " " + request.policy().retainLast());
      return new ExpireResult(3, 2);
    }

    @Override
    public RewriteResult rewriteFiles(RewriteRequest request) {
      calls.add("rewrite " + request.policy().targetFileSize());
      if (failFirst.getAndDecrement() > 0) {
        throw ApplicationFailure.newFailure("Cannot commit: base metadata changed", "CommitFailed");
      }
      return new RewriteResult(7L, 2, 6, 2);
    }

    @Override
    public OrphansResult removeOrphanFiles(OrphansRequest request) {
      calls.add("orphans " + request.policy().olderThan());
      return new OrphansResult(1, 10, 0);
    }
  }

  private final Recording activities = new Recording();
  private TestWorkflowEnvironment env;
  private String queue;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    this.env = env;
    this.queue = worker.getTaskQueue();
    worker.registerActivitiesImplementations(activities);
    env.start();
  }

  private TableMaintenanceResult run(TableMaintenanceInput input) {
    TableMaintenanceWorkflow wf =
        env.getWorkflowClient()
            .newWorkflowStub(
                TableMaintenanceWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(queue)
                    .setWorkflowId("table-maintenance/contacts")
                    .build());
    return wf.maintain(input);
  }

  @Test
  void givenAllSteps_whenMaintained_thenExpireRewriteAndOrphansRunInOrderWithDefaults() {
    TableMaintenanceResult result =
        run(
            new TableMaintenanceInput(
                "contacts", SINK, new Expire(null, null), new Rewrite("64MB"), new Orphans(null)));

    assertThat(activities.calls)
        .containsExactly("expire PT120H 1", "rewrite 64MB", "orphans PT72H");
    assertThat(result.expired()).isEqualTo(new ExpireResult(3, 2));
    assertThat(result.rewritten()).isEqualTo(new RewriteResult(7L, 2, 6, 2));
    assertThat(result.orphans()).isEqualTo(new OrphansResult(1, 10, 0));
  }

  @Test
  void givenOnlyTheOrphanSweep_whenMaintained_thenTheOtherStepsDoNotRun() {
    TableMaintenanceResult result =
        run(
            new TableMaintenanceInput(
                "contacts", SINK, null, null, new Orphans(Duration.ofDays(7))));

    assertThat(activities.calls).containsExactly("orphans PT168H");
    assertThat(result.expired()).isNull();
    assertThat(result.rewritten()).isNull();
  }

  @Test
  void givenARewriteThatLosesToAPipelineCommit_whenMaintained_thenItIsPlannedAgainAndSucceeds() {
    activities.failFirst.set(1);

    TableMaintenanceResult result =
        run(new TableMaintenanceInput("contacts", SINK, null, new Rewrite(null), null));

    assertThat(activities.calls).containsExactly("rewrite null", "rewrite null");
    assertThat(result.rewritten().snapshotId()).isEqualTo(7L);
  }

  @Test
  void givenARewriteThatKeepsLosing_whenMaintained_thenTheRunFailsAndTheOrphanSweepDoesNotRun() {
    activities.failFirst.set(10);

    assertThatThrownBy(
            () ->
                run(
                    new TableMaintenanceInput(
                        "contacts", SINK, null, new Rewrite(null), new Orphans(null))))
        .isInstanceOf(WorkflowFailedException.class);
    assertThat(activities.calls).containsExactly("rewrite null", "rewrite null", "rewrite null");
  }
}
