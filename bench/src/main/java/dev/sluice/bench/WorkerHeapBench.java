package dev.sluice.bench;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.sandbox.ContactData;
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
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Heap of a worker extracting N rows: the embedded Temporal server and the sandbox run in this JVM,
 * the worker ({@link ProbedWorker}: the production worker plus a probe) in a child JVM with {@code
 * -Xmx<xmx>}, so its heap is its own. One workflow run per row count, in order; the sandbox grows
 * between runs and each run has a fresh table, so run k extracts exactly {@code rows[k]}.
 *
 * <p>{@code --columns N} (default 13, the Contact fields) makes the rows N columns wide: the
 * sandbox adds {@code N - 13} custom fields ({@link SandboxConfig#withContactCustomFields}:
 * text, whole numbers, decimals, datetimes and picklist values in turn), the pipeline selects them
 * all and declares the numbers {@code long}, the decimals {@code double} and the datetimes {@code
 * timestamp}. {@code --target-file-size} sets the sink's {@code targetFileSize} (its row groups are
 * {@code min(targetFileSize, 64 MB)}). After each run DuckDB reads every column of the output
 * (default threads) and reports its files, row groups and size.
 *
 * <p>Usage: {@code WorkerHeapBench [--rows 1000000,3000000] [--columns 13] [--xmx 256m]
 * [--target-file-size 128MB] [--gc-log FILE]}
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
    int columns = Integer.parseInt(Bench.arg(args, "columns", "" + ContactData.FIELDS.size()));
    String target = Bench.arg(args, "target-file-size", null);
    int custom = columns - ContactData.FIELDS.size();
    if (custom < 0) {
      throw new IllegalArgumentException(
          "--columns must be at least " + ContactData.FIELDS.size() + " (the Contact fields)");
    }
    Path work = Bench.tempDir("sluice-heap-bench");
    String gcLog = Bench.arg(args, "gc-log", work.resolve("worker-gc.log").toString());
    System.out.println(
        "WorkerHeapBench rows="
            + counts
            + " columns="
            + columns
            + " targetFileSize="
            + (target == null ? "default" : target)
            + " worker -Xmx"
            + xmx);
    System.out.println(Bench.environment());
    System.out.println("load average before: " + Bench.loadAverage());

    SandboxConfig config =
        SandboxConfig.defaults()
            .withContactRecords(counts.get(0))
            .withPollsBeforeReady(1)
            .withContactCustomFields(custom);
    PipelineSpec example = Bench.examplePipeline(yaml -> widen(yaml, custom, target));
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        Connection duck = DriverManager.getConnection("jdbc:duckdb:");
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
                  + " %d GCs, %d ms GC, %d full GCs in the log; CPU %d ms | load %s%n",
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
              fullGcs(Path.of(gcLog)),
              probe.get("cpuMillis"),
              Bench.loadAverage());
          System.out.println("  output: " + describe(duck, result.files(), columns));
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

  /**
   * The example pipeline's YAML selecting the Contact fields plus {@code custom} custom fields,
   * with the custom fields' types declared and, when {@code target} is not null, that {@code
   * targetFileSize}.
   */
  private static String widen(String yaml, int custom, String target) {
    String select = "SELECT " + String.join(", ", ContactData.FIELDS) + " FROM Contact";
    String lastColumn = "    - {name: NumberOfEmployees, type: long}\n";
    String compression = "  compression: snappy\n";
    if (!yaml.contains(select) || !yaml.contains(lastColumn) || !yaml.contains(compression)) {
      throw new IllegalStateException(Bench.EXAMPLE + " changed: update WorkerHeapBench.widen");
    }
    StringBuilder declared = new StringBuilder(lastColumn);
    List<String> fields = ContactData.fields(custom);
    for (String field : fields.subList(ContactData.FIELDS.size(), fields.size())) {
      String type =
          field.startsWith("Number")
              ? "long"
              : field.startsWith("Amount")
                  ? "double"
                  : field.startsWith("Stamp") ? "timestamp" : null;
      if (type != null) {
        declared.append("    - {name: ").append(field).append(", type: ").append(type);
        declared.append("}\n");
      }
    }
    return yaml.replace(select, "SELECT " + String.join(", ", fields) + " FROM Contact")
        .replace(lastColumn, declared)
        .replace(
            compression,
            target == null ? compression : compression + "  targetFileSize: " + target + "\n");
  }

  /** Lines of a full collection in the worker's GC log ({@code -Xlog:gc}) so far. */
  private static long fullGcs(Path gcLog) {
    try (var lines = Files.lines(gcLog)) {
      return lines.filter(l -> l.contains("Pause Full")).count();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Size, files and row groups of the run's Parquet files, and how long DuckDB (default threads)
   * takes to read every column of them.
   */
  private static String describe(Connection duck, List<String> files, int columns)
      throws Exception {
    List<Path> paths = files.stream().map(f -> Path.of(URI.create(f))).toList();
    long bytes = 0;
    for (Path p : paths) {
      bytes += Files.size(p);
    }
    String list =
        paths.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", ", "[", "]"));
    long groups;
    try (Statement s = duck.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(DISTINCT (file_name, row_group_id)) FROM parquet_metadata("
                    + list
                    + ")")) {
      rs.next();
      groups = rs.getLong(1);
    }
    long r0 = System.nanoTime();
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery("SELECT min(COLUMNS(*)) FROM read_parquet(" + list + ")")) {
      rs.next();
      if (rs.getMetaData().getColumnCount() != columns) {
        throw new IllegalStateException(
            rs.getMetaData().getColumnCount() + " columns in the output, expected " + columns);
      }
    }
    long read = System.nanoTime() - r0;
    return String.format(
        "%s Parquet in %d files, %d row groups; DuckDB reads every column in %s",
        Bench.mib(bytes), paths.size(), groups, Bench.seconds(read));
  }
}
