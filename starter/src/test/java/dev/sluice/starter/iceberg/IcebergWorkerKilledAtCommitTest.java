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
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflowImpl;
import io.temporal.api.testservice.v1.SleepRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.TestServiceStubs;
import io.temporal.serviceclient.TestServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.hadoop.HadoopTables;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A worker SIGKILLed at its run's Iceberg commit, on {@code file://} and on {@code s3a://}
 * (s3proxy): just after the commit's rename (committed, the answer lost, the version hint stale),
 * and on {@code file://} just before it (nothing committed). Another worker takes the publish over; the table ends exact: every row once,
 * one snapshot for the run. {@link CommitHalt} stops the doomed worker at the commit; the Java
 * test server's clock is moved past the publish attempt's 5-minute start-to-close timeout instead
 * of waiting for it.
 */
@ExtendWith(PyIceberg.class)
class IcebergWorkerKilledAtCommitTest {
  static final String QUEUE = "iceberg-kill";
  static final int CONTACTS = 600;

  @TempDir Path work;

  @ParameterizedTest(name = "{0}, killed {1} the commit")
  @CsvSource({"file, before", "file, after", "s3a, after"})
  @Timeout(300)
  void givenAWorkerKilledAtTheCommit_whenAnotherWorkerPublishes_thenEveryRowOnceInOneSnapshot(
      String store, String phase) throws Exception {
    SandboxConfig config = SandboxConfig.defaults().withContactRecords(CONTACTS);
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        SandboxServer sandbox = SandboxServer.start(config);
        S3Bucket s3 = store.equals("s3a") ? S3Bucket.start("lake-" + phase) : null) {
      String warehouse = s3 != null ? s3.uri("warehouse") : work.resolve("warehouse").toUri().toString();
      Map<String, String> hadoop = s3 != null ? s3.hadoop() : Map.of();
      Configuration conf = new Configuration();
      hadoop.forEach(conf::set);
      conf.setBoolean("fs.s3a.impl.disable.cache", true); // each case has its own server
      Path pipeline =
          IcebergExamples.write(work, "salesforce-bulk-contacts.yaml", warehouse, "crm.contacts", "append");
      var spec = new PipelineLoader().load(pipeline).spec();
      Map<String, String> env = new HashMap<>(DevEnvironment.sandboxEnvironment(sandbox, config));
      Map<String, String> survivorEnv = new HashMap<>(env);
      survivorEnv.put("HADOOP_CONF_DIR", CommitHalt.coreSite(work.resolve("conf-survivor"), hadoop).toString());
      Path marker = work.resolve("halted");
      env.put("HADOOP_CONF_DIR", CommitHalt.coreSite(work.resolve("conf-doomed"), CommitHalt.halting(hadoop)).toString());
      env.put(CommitHalt.PHASE, phase);
      env.put(CommitHalt.MARKER, marker.toString());

      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      WorkflowClient client =
          WorkflowClient.newInstance(
              service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
      WorkerFactory workflows = WorkerFactory.newInstance(client);
      workflows.newWorker(QUEUE).registerWorkflowImplementationTypes(AsyncIngestWorkflowImpl.class);
      workflows.start();
      Process doomed =
          MidExtract.workerProcess(ActivityOnlyWorker.class, temporal.address(), QUEUE, env, work.resolve("doomed.log"));
      Process survivor = null;
      TestServiceStubs testService =
          TestServiceStubs.newServiceStubs(
              TestServiceStubsOptions.newBuilder()
                  .setTarget(temporal.address())
                  .validateAndBuildWithDefaults());
      try {
        String id = PipelineRuns.start(client, QUEUE, spec, "2026-11-10T00:00:00Z");
        String where = CommitHalt.await(marker, Duration.ofSeconds(120));
        doomed.destroyForcibly().waitFor();
        assertThat(where).startsWith(phase);
        survivor =
            MidExtract.workerProcess(
                ActivityOnlyWorker.class, temporal.address(), QUEUE, survivorEnv, work.resolve("survivor.log"));
        // The publish attempt on the dead worker times out after 5 minutes: move the clock on.
        // EmbeddedTemporal's test server holds two time-skipping locks (its test service's and its
        // workflow service's, both taken at start); release one for good, the other while sleeping.
        testService
            .blockingStub()
            .unlockTimeSkipping(io.temporal.api.testservice.v1.UnlockTimeSkippingRequest.getDefaultInstance());
        try {
          testService
              .blockingStub()
              .unlockTimeSkippingWithSleep(
                  SleepRequest.newBuilder()
                      .setDuration(com.google.protobuf.Duration.newBuilder().setSeconds(330))
                      .build());
        } catch (io.grpc.StatusRuntimeException e) {
          // Past the timeout the retried publish runs on the survivor, and the test server does
          // not skip time while an activity is out: the rest of the sleep may outlast the call's
          // deadline. The clock has moved past the timeout by then, which is all that is needed.
          assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.DEADLINE_EXCEEDED);
        }
        AsyncIngestResult result = client.newUntypedWorkflowStub(id).getResult(AsyncIngestResult.class);

        assertThat(result.rows()).isEqualTo(CONTACTS);
        String location = warehouse + "/crm/contacts";
        Table table = new HadoopTables(conf).load(location);
        List<Snapshot> runs =
            StreamSupport.stream(table.snapshots().spliterator(), false)
                .filter(s -> s.summary().containsKey("sluice.run-key"))
                .toList();
        assertThat(runs).as("one snapshot for the run").hasSize(1);
        assertThat(JavaTables.rows(table)).hasSize(CONTACTS).doesNotHaveDuplicates();
        if (s3 == null) {
          // pyarrow's S3 client (under pyiceberg) fails on s3proxy's GetObject answers ("AWS Error
          // INTERNAL_FAILURE ... Failed to flush response stream"): on s3a:// the Java generic
          // reader above is the read-back.
          PyIceberg.Read read = PyIceberg.readTable(location);
          assertThat(IcebergRows.contacts(read.rows()))
              .containsExactlyElementsOf(
                  ParquetTables.expected(ContactData.rows(config.seed(), 0, CONTACTS)));
        }
      } finally {
        doomed.destroyForcibly();
        if (survivor != null) {
          survivor.destroyForcibly().waitFor();
        }
        testService.shutdownNow();
        workflows.shutdownNow();
        service.shutdownNow();
      }
    }
  }
}
