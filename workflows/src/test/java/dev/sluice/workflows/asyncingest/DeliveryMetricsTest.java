package dev.sluice.workflows.asyncingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.uber.m3.tally.Buckets;
import com.uber.m3.tally.Capabilities;
import com.uber.m3.tally.CapableOf;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.StatsReporter;
import com.uber.m3.util.Duration;
import dev.sluice.workflows.activities.Messages.DeferralResult;
import dev.sluice.workflows.activities.PlatformMessages.PlatformError;
import dev.sluice.workflows.batchegress.BatchEgressWorkflowImpl;
import dev.sluice.workflows.common.Delivery;
import dev.sluice.workflows.fakes.FakeSinkPlatform;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The workflow's own meters for what only it sees whole: batch outcomes at the platform and rows
 * deferred, tagged with the pipeline, counted once per run.
 */
class DeliveryMetricsTest {
  private static final String QUEUE = "test";
  private static final String LOGICAL_DATE = "2026-11-22T00:00:00Z";

  private final Counters counters = new Counters();
  private Scope scope;
  private TestWorkflowEnvironment env;
  private FakeProvider fake;
  private FakeSinkPlatform platform;

  @BeforeEach
  void setUp() {
    scope =
        new RootScopeBuilder()
            .reporter(counters)
            .reportEvery(com.uber.m3.util.Duration.ofMillis(10));
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setMetricsScope(scope).build());
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(
        AsyncIngestWorkflowImpl.class, BatchEgressWorkflowImpl.class);
    fake = new FakeProvider(env);
    platform = new FakeSinkPlatform(new CopyOnWriteArrayList<>());
    worker.registerActivitiesImplementations(fake, platform);
    env.start();
  }

  @AfterEach
  void tearDown() {
    platform.releaseStatus.countDown();
    env.close();
  }

  private AsyncIngestWorkflow workflow(String id) {
    return env.getWorkflowClient()
        .newWorkflowStub(
            AsyncIngestWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
  }

  @Test
  void givenBatchAcceptedThenRejected_whenRunsEnd_thenOneOutcomeOfEachIsCountedForThePipeline()
      throws Exception {
    workflow("ingest/contacts/a")
        .run(AsyncIngestInput.of(Pipelines.sendingToPlatform(), "2026-11-21"));
    platform.failWith = List.of(new PlatformError("200", "not a Parquet file"));
    catchThrowable(
        () ->
            workflow("ingest/contacts/b")
                .run(AsyncIngestInput.of(Pipelines.sendingToPlatform(), LOGICAL_DATE)));
    scope.close();

    String pipeline = Pipelines.sendingToPlatform().name();
    assertThat(counters.get(Delivery.BATCH_OUTCOMES_METRIC, pipeline, "accepted")).isEqualTo(1);
    assertThat(counters.get(Delivery.BATCH_OUTCOMES_METRIC, pipeline, "rejected")).isEqualTo(1);
    assertThat(counters.get(Delivery.BATCH_OUTCOMES_METRIC, pipeline, "failed")).isZero();
  }

  @Test
  void givenRunDefersRows_whenItEnds_thenTheDeferredRowsAreCountedForThePipeline()
      throws Exception {
    fake.deferralAnswer =
        new DeferralResult("file:///tmp/s", List.of("p.parquet"), 90, 1, 10, 0, 0, 0);

    workflow("ingest/contacts/c").run(AsyncIngestInput.of(Pipelines.deferring(), LOGICAL_DATE));
    scope.close();

    assertThat(counters.get(Delivery.DEFERRED_ROWS_METRIC, Pipelines.deferring().name(), null))
        .isEqualTo(10);
  }

  /** Counters as reported, summed by name, pipeline and outcome. */
  static final class Counters implements StatsReporter {
    private final Map<String, Long> sums = new ConcurrentHashMap<>();

    long get(String name, String pipeline, String outcome) {
      return sums.getOrDefault(name + "|" + pipeline + "|" + outcome, 0L);
    }

    @Override
    public void reportCounter(String name, Map<String, String> tags, long value) {
      sums.merge(name + "|" + tags.get("pipeline") + "|" + tags.get("outcome"), value, Long::sum);
    }

    @Override
    public void reportGauge(String name, Map<String, String> tags, double value) {}

    @Override
    public void reportTimer(String name, Map<String, String> tags, Duration interval) {}

    @Override
    public void reportHistogramValueSamples(
        String name,
        Map<String, String> tags,
        Buckets buckets,
        double bucketLowerBound,
        double bucketUpperBound,
        long samples) {}

    @Override
    public void reportHistogramDurationSamples(
        String name,
        Map<String, String> tags,
        Buckets buckets,
        Duration bucketLowerBound,
        Duration bucketUpperBound,
        long samples) {}

    @Override
    public Capabilities capabilities() {
      return CapableOf.REPORTING;
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
