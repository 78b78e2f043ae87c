package dev.sluice.starter.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.dev.EmbeddedTemporal;
import dev.sluice.starter.e2e.ActivityOnlyWorker;
import dev.sluice.starter.e2e.MidExtract;
import dev.sluice.starter.e2e.ParquetTables;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workers.SluiceWorker;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflowImpl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.testservice.v1.SleepRequest;
import io.temporal.api.testservice.v1.UnlockTimeSkippingRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.TestServiceStubs;
import io.temporal.serviceclient.TestServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.hadoop.HadoopTables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A worker SIGKILLed at its run's Iceberg commit, on {@code file://} and on {@code s3a://}
 * (s3proxy): just before the commit's rename (data files and manifests staged, nothing committed)
 * and just after it (committed, the answer lost, the version hint stale). Another worker takes the
 * publish over; the table ends exact: every row once, one snapshot for the run, no file of the dead
 * attempt among the table's files, as Iceberg's generic reader and pyiceberg read it.
 *
 * <p>{@link CommitHalt} stops the doomed worker at the commit. The Java test server's clock is
 * moved past the publish attempt's 5-minute start-to-close timeout instead of waiting for it; the
 * survivor, an activity worker in the test's JVM (warm, so the take-over does not wait for a JVM to
 * start), polls once the doomed one is dead. One sandbox and one S3 server serve every case; each
 * case has its own Temporal server, task queue, table and window.
 */
@ExtendWith(PyIceberg.class)
class IcebergWorkerKilledAtCommitTest {
  static final int CONTACTS = 120;
  private static final SandboxConfig CONFIG =
      SandboxConfig.defaults().withContactRecords(CONTACTS).withPollsBeforeReady(1);

  private static SandboxServer sandbox;
  private static S3Bucket s3;

  @TempDir Path work;

  @BeforeAll
  static void start() throws Exception {
    sandbox = SandboxServer.start(CONFIG);
    s3 = S3Bucket.start("lake");
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {s3, sandbox}) {
      if (c != null) {
        c.close();
      }
    }
  }

  @ParameterizedTest(name = "{0}, killed {1} the commit")
  @CsvSource({"file, before, 10", "file, after, 11", "s3a, before, 12", "s3a, after, 13"})
  @Timeout(300)
  void givenAWorkerKilledAtTheCommit_whenAnotherWorkerPublishes_thenEveryRowOnceInOneSnapshot(
      String store, String phase, int day) throws Exception {
    boolean onS3 = store.equals("s3a");
    String queue = "iceberg-kill-" + store + "-" + phase;
    String warehouse =
        onS3 ? s3.uri("warehouse-" + phase) : work.resolve("warehouse").toUri().toString();
    Map<String, String> hadoop = onS3 ? s3.hadoop() : Map.of();
    Path pipeline =
        IcebergExamples.write(
            work, "salesforce-bulk-contacts.yaml", warehouse, "crm.contacts", "append");
    var spec = new PipelineLoader().load(pipeline).spec();
    Map<String, String> env = new HashMap<>(DevEnvironment.sandboxEnvironment(sandbox, CONFIG));
    Map<String, String> survivorEnv = new HashMap<>(env);
    survivorEnv.put(
        "HADOOP_CONF_DIR", CommitHalt.coreSite(work.resolve("conf-survivor"), hadoop).toString());
    Path marker = work.resolve("halted");
    env.put(
        "HADOOP_CONF_DIR",
        CommitHalt.coreSite(work.resolve("conf-doomed"), CommitHalt.halting(hadoop)).toString());
    env.put(CommitHalt.PHASE, phase);
    env.put(CommitHalt.MARKER, marker.toString());

    // A Temporal server of its own: the clock moves differently in each case (below).
    EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
    WorkflowClient client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
    TestServiceStubs testService =
        TestServiceStubs.newServiceStubs(
            TestServiceStubsOptions.newBuilder()
                .setTarget(temporal.address())
                .validateAndBuildWithDefaults());
    WorkerFactory workflows = WorkerFactory.newInstance(client);
    workflows.newWorker(queue).registerWorkflowImplementationTypes(AsyncIngestWorkflowImpl.class);
    workflows.start();
    Process doomed =
        worker(ActivityOnlyWorker.class, temporal, queue, env, work.resolve("doomed.log"));
    WorkerFactory survivor = WorkerFactory.newInstance(client);
    ActivityLibrary.create(survivorEnv::get, new SimpleMeterRegistry())
        .registerOn(
            survivor.newWorker(
                queue,
                WorkerOptions.newBuilder()
                    .setMaxHeartbeatThrottleInterval(SluiceWorker.HEARTBEAT_THROTTLE)
                    .build()));
    try {
      String id = PipelineRuns.start(client, queue, spec, "2026-11-" + day + "T00:00:00Z");
      String where = CommitHalt.await(marker, Duration.ofSeconds(120));
      doomed.destroyForcibly().waitFor();
      assertThat(where).startsWith(phase);
      survivor.start();
      // The publish attempt on the dead worker times out after 5 minutes: move the clock on.
      // EmbeddedTemporal's test server holds a time-skipping lock from its start, and the
      // pending publish holds another: release both, the second while sleeping past the timeout
      // (in the background: past the timeout the retried publish runs on the survivor, and the
      // sleep's answer may come after the run's). The publish's own lock, released at the
      // timeout, leaves the server's lock count unbalanced: no case reuses the server.
      testService.blockingStub().unlockTimeSkipping(UnlockTimeSkippingRequest.getDefaultInstance());
      testService
          .futureStub()
          .unlockTimeSkippingWithSleep(
              SleepRequest.newBuilder()
                  .setDuration(com.google.protobuf.Duration.newBuilder().setSeconds(305))
                  .build());
      AsyncIngestResult result =
          client.newUntypedWorkflowStub(id).getResult(AsyncIngestResult.class);

      assertThat(result.rows()).isEqualTo(CONTACTS);
      Configuration conf = new Configuration();
      hadoop.forEach(conf::set);
      String location = warehouse + "/crm/contacts";
      Table table = new HadoopTables(conf).load(location);
      List<Snapshot> runs =
          StreamSupport.stream(table.snapshots().spliterator(), false)
              .filter(s -> s.summary().containsKey("sluice.run-key"))
              .toList();
      assertThat(runs).as("one snapshot for the run").hasSize(1);
      assertThat(JavaTables.rows(table)).hasSize(CONTACTS).doesNotHaveDuplicates();
      assertThat(
              StreamSupport.stream(runs.get(0).addedDataFiles(table.io()).spliterator(), false)
                  .map(DataFile::location)
                  .toList())
          .as("the table's files are the run's commit's, each there")
          .containsExactlyInAnyOrderElementsOf(liveFiles(table))
          .allMatch(f -> table.io().newInputFile(f).exists());
      PyIceberg.Read read = PyIceberg.readTable(location, onS3 ? s3.pyiceberg() : new String[0]);
      assertThat(read.summaries()).filteredOn(s -> s.containsKey("sluice.run-key")).hasSize(1);
      assertThat(IcebergRows.contacts(read.rows()))
          .containsExactlyElementsOf(
              ParquetTables.expected(ContactData.rows(CONFIG.seed(), 0, CONTACTS)));
    } catch (Throwable e) {
      System.err.println("--- doomed.log\n" + Files.readString(work.resolve("doomed.log")));
      throw e;
    } finally {
      doomed.destroyForcibly();
      survivor.shutdownNow();
      workflows.shutdownNow();
      testService.shutdownNow();
      service.shutdownNow();
      temporal.close();
    }
  }

  /**
   * A worker process as {@link MidExtract#workerProcess} starts one, with the JIT's first tier only
   * and the serial collector: a worker that lives for seconds spends most of its CPU compiling.
   */
  private static Process worker(
      Class<?> main, EmbeddedTemporal temporal, String queue, Map<String, String> env, Path log)
      throws java.io.IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                main.getName())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().putAll(env);
    pb.environment().put("TEMPORAL_ADDRESS", temporal.address());
    pb.environment().put("SLUICE_TASK_QUEUE", queue);
    return pb.start();
  }

  /** The data files of the table's current snapshot. */
  private static List<String> liveFiles(Table table) throws java.io.IOException {
    try (var tasks = table.newScan().planFiles()) {
      return StreamSupport.stream(tasks.spliterator(), false)
          .map(t -> t.file().location())
          .toList();
    }
  }
}
