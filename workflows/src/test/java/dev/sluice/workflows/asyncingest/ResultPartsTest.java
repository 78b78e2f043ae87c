package dev.sluice.workflows.asyncingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ExtractSpec;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.ResultSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.PartMessages.PartRequest;
import dev.sluice.workflows.activities.PartMessages.Plan;
import dev.sluice.workflows.activities.PartMessages.PlanRequest;
import dev.sluice.workflows.histories.Histories;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A result in parts: the fan-out of {@link ResultParts} with scripted activities. */
class ResultPartsTest {
  @RegisterExtension
  static final TestWorkflowExtension TEMPORAL =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(AsyncIngestWorkflowImpl.class)
          // Heartbeats reach the server at once, so a cancelled part hears of it at once.
          .setWorkerOptions(
              WorkerOptions.newBuilder()
                  .setMaxHeartbeatThrottleInterval(Duration.ofMillis(50))
                  .setDefaultHeartbeatThrottleInterval(Duration.ofMillis(50))
                  .build())
          .setDoNotStart(true)
          .build();

  private FakeProvider fake;
  private FakeParts parts;
  private WorkflowClient client;
  private String queue;

  @BeforeEach
  void setUp(TestWorkflowEnvironment env, Worker worker) {
    queue = worker.getTaskQueue();
    fake = new FakeProvider(env);
    parts = new FakeParts();
    fake.parts = parts;
    worker.registerActivitiesImplementations(fake);
    env.start();
    client = env.getWorkflowClient();
  }

  static PipelineSpec partitioned(int maxParallel) {
    PipelineSpec base = Pipelines.salesforceLike();
    AsyncHttpSource source = (AsyncHttpSource) base.source();
    ExtractSpec e = source.extract();
    ExtractSpec extract =
        new ExtractSpec(
            null,
            e.headers(),
            e.format(),
            e.compression(),
            e.pagination(),
            e.pageTimeout(),
            e.checkpointInterval(),
            new ResultSpec.Partitions(
                "/partitionInfo",
                "http://provider/jobs/${requestId}?partition=${partition}",
                maxParallel,
                null,
                null,
                null,
                null,
                null));
    return base.toBuilder()
        .setSource(
            new AsyncHttpSource(
                source.auth(), source.submit(), source.status(), extract, source.cleanup(), null, null, null))
        .build();
  }

  private AsyncIngestResult run(String id, PipelineSpec spec) {
    return client
        .newWorkflowStub(
            AsyncIngestWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(id).build())
        .run(AsyncIngestInput.of(spec, "2026-12-07"));
  }

  @Test
  void givenSevenPartitions_whenRunning_thenAtMostMaxParallelAtOnceAndOneCommitOfAllParts()
      throws Exception {
    parts.count = 7;
    parts.gather = 3;

    AsyncIngestResult result = run("ingest/parts/ok", partitioned(3));

    assertThat(parts.maxInFlight).hasValue(3);
    assertThat(parts.started).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6);
    assertThat(fake.extracts).as("no whole-result extract").hasValue(0);
    assertThat(fake.publishes).hasValue(1);
    assertThat(fake.lastPublish.files())
        .containsExactly(
            "part-00000.parquet",
            "part-00001.parquet",
            "part-00002.parquet",
            "part-00003.parquet",
            "part-00004.parquet",
            "part-00005.parquet",
            "part-00006.parquet");
    assertThat(result.rows()).isEqualTo(7 * 100);
    assertThat(result.pages()).isEqualTo(7 * 2);
    assertThat(result.watermark()).as("the highest of the parts'").isEqualTo("2026-01-07T00:00:00Z");
    assertThat(fake.deletes).hasValue(1);
    assertThat(fake.discards).hasValue(0);

    Histories.keep(client, "ingest/parts/ok", "asyncingest-parts-success.json");
    WorkflowReplayer.replayWorkflowExecution(
        client.fetchHistory("ingest/parts/ok"), AsyncIngestWorkflowImpl.class);
  }

  @Test
  void givenPartFails_whenRunning_thenOthersCancelledNothingPublishedJobDeletedStagingDiscarded() {
    parts.count = 10;
    parts.gather = 4;
    parts.failing = 1;

    assertThatThrownBy(() -> run("ingest/parts/fail", partitioned(4)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .hasMessageContaining("partition 1 is malformed");

    assertThat(parts.started).as("no part starts after one failed").hasSize(4);
    assertThat(parts.cancelled).as("the three others, cancelled").hasValue(3);
    assertThat(fake.publishes).hasValue(0);
    assertThat(fake.deletes).as("the ready job's result is deleted").hasValue(1);
    assertThat(fake.aborts).hasValue(0);
    assertThat(fake.discards).hasValue(1);
  }

  @Test
  void givenZeroPartitions_whenRunning_thenAnEmptyRunIsPublished() {
    parts.count = 0;

    AsyncIngestResult result = run("ingest/parts/none", partitioned(4));

    assertThat(result.rows()).isZero();
    assertThat(parts.started).isEmpty();
    assertThat(fake.publishes).hasValue(1);
  }

  @Test
  void givenPlanFails_whenRunning_thenNoPartStartsAndTheJobIsDeleted() {
    parts.planFailure = "JSON pointer /partitionInfo finds no partition count in the status answer";

    assertThatThrownBy(() -> run("ingest/parts/plan", partitioned(4)))
        .isInstanceOf(WorkflowFailedException.class)
        .rootCause()
        .hasMessageContaining("/partitionInfo");

    assertThat(parts.started).isEmpty();
    assertThat(fake.publishes).hasValue(0);
    assertThat(fake.deletes).hasValue(1);
  }

  @Test
  void givenWatermarksOfSeveralShapes_whenSummed_thenHighestByValue() {
    assertThat(ResultParts.higher("9", "10")).isEqualTo("10");
    assertThat(ResultParts.higher("2026-01-02T00:00:00+01:00", "2026-01-01T23:30:00Z"))
        .isEqualTo("2026-01-01T23:30:00Z");
    assertThat(ResultParts.higher("b", "a")).isEqualTo("b");
    assertThat(ResultParts.higher(null, "a")).isEqualTo("a");
  }

  /**
   * Parts that wait until {@code gather} of them run at once (so the bound is seen, not raced),
   * then succeed, or fail ({@code failing}), or wait for their cancellation when one failed.
   */
  static final class FakeParts implements FakeProvider.Parts {
    volatile int count;
    volatile int gather = 1;
    volatile int failing = -1;
    volatile String planFailure;
    final Set<Integer> started = ConcurrentHashMap.newKeySet();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger maxInFlight = new AtomicInteger();
    final AtomicInteger cancelled = new AtomicInteger();

    @Override
    public Plan planParts(PlanRequest request) {
      if (planFailure != null) {
        throw ApplicationFailure.newNonRetryableFailure(
            planFailure, FailureType.RESULT_PLAN_INVALID.type());
      }
      return new Plan(count);
    }

    @Override
    public ExtractResult extractPart(PartRequest request) {
      int part = request.part();
      started.add(part);
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        waitUntil(() -> started.size() >= Math.min(gather, count));
        if (part == failing) {
          throw ApplicationFailure.newNonRetryableFailure(
              "partition " + part + " is malformed", FailureType.MALFORMED_DATA.type());
        }
        if (failing >= 0) {
          try {
            waitUntil(
                () -> {
                  Activity.getExecutionContext().heartbeat(null);
                  return false;
                });
          } catch (ActivityCanceledException e) {
            cancelled.incrementAndGet();
            throw e;
          }
        }
        return new ExtractResult(
            100,
            1000,
            List.of(String.format("part-%05d.parquet", part)),
            2,
            "2026-01-0" + (part + 1) + "T00:00:00Z");
      } finally {
        inFlight.decrementAndGet();
      }
    }

    /** Polls a condition for at most ten seconds (a bound, not a pace). */
    private static void waitUntil(java.util.function.BooleanSupplier condition) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
