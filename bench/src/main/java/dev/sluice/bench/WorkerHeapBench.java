package dev.sluice.bench;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.dev.EmbeddedTemporal;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Heap of a worker extracting N rows: the embedded Temporal server and the sandbox run in this JVM,
 * the worker ({@link ProbedWorker}: the production worker plus a probe) in a child JVM with {@code
 * -Xmx<xmx>}, so its heap is its own. One workflow run per row count, in order; the sandbox grows
 * between runs and each run has a fresh table, so run k extracts exactly {@code rows[k]}.
 *
 * <p>Usage: {@code WorkerHeapBench [--rows 1000000,3000000] [--xmx 256m] [--gc-log FILE]}
 */
public final class WorkerHeapBench {
  private static final String TASK_QUEUE = "bench-heap";

  private WorkerHeapBench() {}

  public static void main(String[] args) throws Exception {
    List<Integer> counts =
        Arrays.stream(Bench.arg(args, "rows", "1000000,3000000").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    String xmx = Bench.arg(args, "xmx", "256m");
    Path work = Bench.tempDir("sluice-heap-bench");
    String gcLog = Bench.arg(args, "gc-log", work.resolve("worker-gc.log").toString());
    System.out.println("WorkerHeapBench rows=" + counts + " worker -Xmx" + xmx);
    System.out.println(Bench.environment());
    System.out.println("load average before: " + Bench.loadAverage());

    SandboxConfig config =
        SandboxConfig.defaults().withContactRecords(counts.get(0)).withPollsBeforeReady(1);
    PipelineSpec example = Bench.examplePipeline(UnaryOperator.identity());
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        SandboxServer sandbox = SandboxServer.start(config)) {
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      WorkflowClient client =
          WorkflowClient.newInstance(
              service,
              WorkflowClientOptions.newBuilder().setNamespace(DevEnvironment.NAMESPACE).build());
      Map<String, String> env = new HashMap<>(DevEnvironment.sandboxEnvironment(sandbox, config));
      env.put("TEMPORAL_ADDRESS", temporal.address());
      env.put("SLUICE_TASK_QUEUE", TASK_QUEUE);
      List<String> jvm = List.of("-Xmx" + xmx, "-Xlog:gc:file=" + gcLog);
      try (ChildWorker worker = ChildWorker.start(jvm, env, work.resolve("worker.log"))) {
        System.out.println("worker pid " + worker.pid() + " " + worker.jvmArgs());
        System.out.println("idle after start: " + ProcessProbe.format(worker.mark()));
        int current = counts.get(0);
        for (int i = 0; i < counts.size(); i++) {
          int rows = counts.get(i);
          if (rows > current) {
            sandbox.salesforce().addContacts(rows - current);
            current = rows;
          }
          Path table = work.resolve("table-" + i);
          String date = Instant.parse("2026-11-22T00:00:00Z").plusSeconds(i).toString();
          long t0 = System.nanoTime();
          String id = PipelineRuns.start(client, TASK_QUEUE, Bench.withSink(example, table), date);
          AsyncIngestResult result =
              client.newUntypedWorkflowStub(id).getResult(AsyncIngestResult.class);
          long nanos = System.nanoTime() - t0;
          Map<String, Long> probe = worker.mark();
          if (result.rows() != rows) {
            throw new IllegalStateException(result.rows() + " rows, expected " + rows);
          }
          System.out.printf(
              "rows=%d run=%s extract=%d ms files=%d | worker heap: max before GC %s, max sampled"
                  + " %s, max after GC (live) %s, sum of pool peaks %s, max committed %s, -Xmx %s;"
                  + " %d GCs, %d ms GC; CPU %d ms | load %s%n",
              rows,
              Bench.seconds(nanos),
              result.timings().extractMillis(),
              result.files().size(),
              Bench.mib(probe.get("heapMaxBeforeGc")),
              Bench.mib(probe.get("heapMaxSampled")),
              Bench.mib(probe.get("heapMaxAfterGc")),
              Bench.mib(probe.get("heapPoolPeakSum")),
              Bench.mib(probe.get("heapMaxCommitted")),
              Bench.mib(probe.get("heapMax")),
              probe.get("gcCount"),
              probe.get("gcMillis"),
              probe.get("cpuMillis"),
              Bench.loadAverage());
          Bench.deleteTree(table);
        }
      }
      service.shutdown();
    } finally {
      System.out.println("GC log: " + gcLog);
    }
    System.out.println("load average after: " + Bench.loadAverage());
    System.exit(0);
  }
}
