package dev.sluice.starter.e2e;

import dev.sluice.activities.http.ProviderClients;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.http.HttpClients;
import dev.sluice.activities.parquet.ParquetStagingWriter;
import dev.sluice.activities.platform.PlatformBatchActivitiesImpl;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.PlatformConnectionSpec;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.sandbox.platform.PlatformEmulator;
import dev.sluice.sandbox.platform.PlatformStats;
import dev.sluice.workflows.activities.PlatformBatchActivities;
import dev.sluice.workflows.activities.PlatformMessages;
import dev.sluice.workflows.batchegress.BatchEgressInput;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import dev.sluice.workflows.batchegress.BatchEgressWorkflow;
import dev.sluice.workflows.batchegress.BatchEgressWorkflowImpl;
import dev.sluice.workflows.common.WorkflowIds;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A worker lost between two steps of an egress: the step's request reached the platform, but its
 * answer never reached Temporal (the worker died before reporting). Temporal then runs the step
 * again, on another attempt. Whatever the step, the platform ends with exactly one batch holding
 * each file once. The real activities run against the sandbox's emulation. The lost attempt ends in
 * a retryable failure rather than a timeout: the retry that follows is the same, and the test
 * server does not skip time while an activity runs, so waiting out a 5-minute heartbeat timeout
 * would take five real minutes.
 */
class EgressWorkerLostTest {
  private static final String QUEUE = "egress-lost";
  private static final String DATASET = PlatformEmulator.SEEDED_PROFILES;
  private static final List<ColumnSpec> COLUMNS =
      List.of(
          new ColumnSpec("personId", "string", null),
          new ColumnSpec("loyaltyPoints", "long", null));

  /** The step whose answer is lost. */
  enum LostAfter {
    CREATE,
    SECOND_UPLOAD,
    COMPLETE
  }

  private static SandboxServer sandbox;

  @TempDir Path work;
  private TestWorkflowEnvironment testEnv;
  private LosingPlatform platform;

  @BeforeAll
  static void startSandbox() {
    sandbox = SandboxServer.start(SandboxConfig.defaults());
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  @BeforeEach
  void startWorker() {
    sandbox.platform().reset();
    // The worker sees only these variables: the sink carries ${env:...} references to them, as a
    // pipeline run against a real organisation would.
    Map<String, String> env = PlatformReferences.workerEnvironment(sandbox);
    platform =
        new LosingPlatform(
            new PlatformBatchActivitiesImpl(
                new ProviderClients(
                    HttpClients.forWorker(),
                    new ObjectMapper(),
                    new SecretResolver(env::get, "test-worker"),
                    new SimpleMeterRegistry()),
                new HadoopFiles(HadoopFiles.defaultConfiguration())));
    testEnv = TestWorkflowEnvironment.newInstance();
    Worker worker = testEnv.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(BatchEgressWorkflowImpl.class);
    worker.registerActivitiesImplementations(platform);
    testEnv.start();
  }

  @AfterEach
  void stopWorker() {
    testEnv.close();
  }

  @ParameterizedTest
  @EnumSource(LostAfter.class)
  void givenAnswerLostAfterStep_whenRetried_thenOneBatchHoldsEachFileOnce(LostAfter step) {
    platform.loseAfter = step;
    List<String> files = List.of(profiles("a", 0, 4), profiles("b", 4, 4), profiles("c", 8, 4));

    BatchEgressResult result =
        testEnv
            .getWorkflowClient()
            .newWorkflowStub(
                BatchEgressWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowId(WorkflowIds.egress("lost-" + step))
                    .build())
            .run(BatchEgressInput.of(sink(), files, "lost-" + step));

    assertThat(platform.lost).as("the step's answer was lost once").isTrue();
    PlatformStats stats = sandbox.platform().stats();
    assertThat(stats.batchesCreated()).as("one batch").containsExactly(result.batchId());
    PlatformStats.BatchSummary batch = stats.batch(result.batchId());
    assertThat(batch.status()).isEqualTo("success");
    assertThat(batch.files())
        .extracting(PlatformStats.FileSummary::name)
        .containsExactlyInAnyOrder(
            "part-a-00000.parquet", "part-b-00000.parquet", "part-c-00000.parquet");
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * The real activities, except that the first call of the chosen step does its work and then never
   * answers, as a worker that died right after the platform acted.
   */
  static final class LosingPlatform implements PlatformBatchActivities {
    private final PlatformBatchActivities real;
    private final java.util.concurrent.atomic.AtomicInteger uploads =
        new java.util.concurrent.atomic.AtomicInteger();
    volatile LostAfter loseAfter;
    volatile boolean lost;
    private final AtomicBoolean losing = new AtomicBoolean();

    LosingPlatform(PlatformBatchActivities real) {
      this.real = real;
    }

    private <T> T maybeLose(LostAfter step, Supplier<T> call) {
      T answer = call.get();
      if (step == loseAfter && losing.compareAndSet(false, true)) {
        lost = true;
        // The platform acted; the answer dies with the worker.
        throw ApplicationFailure.newFailure(
            "worker lost before it could report " + step, "WorkerLost");
      }
      return answer;
    }

    @Override
    public PlatformMessages.CreateBatchResult createBatch(
        PlatformMessages.CreateBatchRequest request) {
      return maybeLose(LostAfter.CREATE, () -> real.createBatch(request));
    }

    @Override
    public PlatformMessages.UploadResult uploadFile(PlatformMessages.UploadRequest request) {
      if (uploads.incrementAndGet() == 2) {
        return maybeLose(LostAfter.SECOND_UPLOAD, () -> real.uploadFile(request));
      }
      return real.uploadFile(request);
    }

    @Override
    public PlatformMessages.BatchCallResult completeBatch(PlatformMessages.BatchRequest request) {
      return maybeLose(LostAfter.COMPLETE, () -> real.completeBatch(request));
    }

    @Override
    public PlatformMessages.BatchStatusResult batchStatus(PlatformMessages.BatchRequest request) {
      return real.batchStatus(request);
    }

    @Override
    public PlatformMessages.BatchCallResult abortBatch(PlatformMessages.BatchRequest request) {
      return real.abortBatch(request);
    }

    @Override
    public PlatformMessages.SentBatchesResult sentBatches(
        PlatformMessages.SentBatchesRequest request) {
      return real.sentBatches(request);
    }

    @Override
    public PlatformMessages.SentBatchesResult recordSentBatch(
        PlatformMessages.RecordSentBatchRequest request) {
      return real.recordSentBatch(request);
    }
  }

  private static PlatformBatchSink sink() {
    PlatformConnectionSpec connection = PlatformReferences.connection();
    return new PlatformBatchSink(
        null,
        null,
        null,
        null,
        null,
        connection,
        DATASET,
        1,
        null,
        null,
        Duration.ofSeconds(10),
        Duration.ofMinutes(1),
        Duration.ofHours(2));
  }

  /** A Parquet file of profile rows {@code first .. first+count-1}, as the staging writer makes. */
  private String profiles(String key, int first, int count) {
    Path staging = work.resolve("staging-" + key);
    ParquetSink parquet =
        new ParquetSink(
            work.resolve("table").toUri().toString(), "append", "snappy", "128MB", COLUMNS, 1000);
    ParquetStagingWriter.WriterState state;
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(
            new HadoopFiles(HadoopFiles.defaultConfiguration()),
            parquet,
            staging.toUri().toString(),
            key,
            null,
            null)) {
      writer.columns(List.of("personId", "loyaltyPoints"));
      for (int i = first; i < first + count; i++) {
        writer.record(new Object[] {String.format("p-%04d", i), Long.toString(i)});
      }
      state = writer.finish();
    }
    return staging.resolve(state.files().get(0)).toUri().toString();
  }
}
