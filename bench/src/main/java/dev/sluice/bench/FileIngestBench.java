package dev.sluice.bench;

import dev.sluice.starter.dev.EmbeddedTemporal;
import dev.sluice.workflows.common.WorkflowIds;
import dev.sluice.workflows.fileingest.FileIngestInput;
import dev.sluice.workflows.fileingest.FileIngestResult;
import dev.sluice.workflows.fileingest.FileIngestWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Queue-style ingestion drained by one worker process, then by two: {@code --files} CSV files of
 * {@code --rows} rows each, generated locally, are asked for at once (as {@code sluice ingest}
 * does: one {@code FileIngestWorkflow} per file on the task queue) and the wall time until every
 * request has completed is measured. The embedded Temporal server runs in this JVM; each worker is
 * the production worker ({@link ProbedWorker}) in a JVM of its own, started and polling before the
 * clock starts, each with {@code --slots} activity slots ({@code
 * SLUICE_MAX_CONCURRENT_ACTIVITIES}), so "two workers" means twice the slots, not just twice the
 * JVMs. Every variant runs {@code --runs} times on a fresh lake and task queue; the row count of
 * the lake is checked with DuckDB after each run.
 *
 * <p>Usage: {@code FileIngestBench [--files 40] [--rows 50000] [--slots 1] [--workers 1,2] [--runs
 * 2] [--worker-xmx 512m]}
 */
public final class FileIngestBench {
  private FileIngestBench() {}

  public static void main(String[] args) throws Exception {
    int files = Integer.parseInt(Bench.arg(args, "files", "40"));
    int rows = Integer.parseInt(Bench.arg(args, "rows", "50000"));
    int slots = Integer.parseInt(Bench.arg(args, "slots", "1"));
    int runs = Integer.parseInt(Bench.arg(args, "runs", "2"));
    String xmx = Bench.arg(args, "worker-xmx", "512m");
    String source = Bench.arg(args, "source", "file");
    double mbps = Double.parseDouble(Bench.arg(args, "mbps", "0"));
    List<Integer> variants =
        java.util.Arrays.stream(Bench.arg(args, "workers", "1,2").split(","))
            .map(String::trim)
            .map(Integer::parseInt)
            .toList();
    System.out.printf(
        "FileIngestBench files=%d rows/file=%d slots/worker=%d workers=%s runs=%d worker -Xmx%s"
            + " source=%s%s%n",
        files,
        rows,
        slots,
        variants,
        runs,
        xmx,
        source,
        mbps > 0 ? String.format(Locale.ROOT, " (%.0f MB/s per connection)", mbps) : "");
    System.out.println(Bench.environment());
    System.out.println("load average before: " + Bench.loadAverage());

    Path work = Bench.tempDir("sluice-file-ingest-bench");
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        ThrottledFileServer server =
            source.equals("http") ? new ThrottledFileServer(work.resolve("in"), mbps) : null) {
      List<Path> inputs = generate(work.resolve("in"), files, rows);
      long inputBytes = 0;
      for (Path p : inputs) {
        inputBytes += Files.size(p);
      }
      System.out.printf("generated %d files, %s of CSV in all%n", files, Bench.mib(inputBytes));
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      WorkflowClient client =
          WorkflowClient.newInstance(
              service, WorkflowClientOptions.newBuilder().setNamespace("default").build());
      Map<Integer, List<Long>> times = new LinkedHashMap<>();
      int round = 0;
      for (int run = 0; run < runs; run++) {
        for (int workers : variants) {
          long nanos =
              drain(
                  client, temporal, work, inputs, server, workers, slots, xmx, rows, "r" + round++);
          times.computeIfAbsent(workers, w -> new ArrayList<>()).add(nanos);
        }
      }
      System.out.println();
      System.out.println(
          "| worker processes | slots each | runs | min | median | rows/s (median) |");
      System.out.println("|---|---|---|---|---|---|");
      long total = (long) files * rows;
      for (var e : times.entrySet()) {
        long median = Bench.median(e.getValue());
        System.out.printf(
            "| %d | %d | %d | %s | %s | %s |%n",
            e.getKey(),
            slots,
            e.getValue().size(),
            Bench.seconds(Bench.min(e.getValue())),
            Bench.seconds(median),
            Bench.perSecond(total, median));
      }
      if (times.containsKey(1) && times.containsKey(2)) {
        System.out.printf(
            Locale.ROOT,
            "speed-up of 2 workers over 1 (median wall time ratio): %.2fx%n",
            Bench.median(times.get(1)) / (double) Bench.median(times.get(2)));
      }
      service.shutdown();
    } finally {
      System.out.println("load average after: " + Bench.loadAverage());
      Bench.deleteTree(work);
    }
    System.exit(0);
  }

  /**
   * Starts {@code workers} worker JVMs on a fresh task queue, waits until they poll, then asks for
   * every file and returns the nanoseconds until the last request completed.
   */
  private static long drain(
      WorkflowClient client,
      EmbeddedTemporal temporal,
      Path work,
      List<Path> inputs,
      ThrottledFileServer server,
      int workers,
      int slots,
      String xmx,
      int rows,
      String round)
      throws Exception {
    String queue = "bench-files-" + round;
    Path lake = work.resolve("lake-" + round);
    Map<String, String> env = new HashMap<>();
    env.put("TEMPORAL_ADDRESS", temporal.address());
    env.put("SLUICE_TASK_QUEUE", queue);
    env.put("SLUICE_MAX_CONCURRENT_ACTIVITIES", Integer.toString(slots));
    List<ChildWorker> children = new ArrayList<>();
    try {
      for (int w = 0; w < workers; w++) {
        children.add(
            ChildWorker.start(
                List.of("-Xmx" + xmx), env, work.resolve("worker-" + round + "-" + w + ".log")));
      }
      // Each worker JVM is warmed up (JIT) on a few files of its own before the clock starts.
      ask(
          client,
          server,
          queue,
          inputs.subList(0, Math.min(inputs.size(), 3 * workers)),
          work.resolve("warm-" + round),
          "warmup",
          round);
      for (ChildWorker child : children) {
        child.mark();
      }
      long start = System.nanoTime();
      long published = ask(client, server, queue, inputs, lake, "orders", round);
      long nanos = System.nanoTime() - start;
      long expected = (long) inputs.size() * rows;
      long inLake = countRows(lake.resolve("orders"));
      if (published != expected || inLake != expected) {
        throw new IllegalStateException(
            "expected " + expected + " rows, published " + published + ", in the lake " + inLake);
      }
      StringBuilder cpu = new StringBuilder();
      for (ChildWorker child : children) {
        Map<String, Long> probe = child.mark();
        cpu.append(String.format(Locale.ROOT, " %.1fs", probe.get("cpuMillis") / 1000.0));
      }
      System.out.printf(
          Locale.ROOT,
          "%d worker(s) x %d slot(s): %d files, %d rows in %s (%s rows/s); worker CPU:%s;"
              + " load %s%n",
          workers,
          slots,
          inputs.size(),
          expected,
          Bench.seconds(nanos),
          Bench.perSecond(expected, nanos),
          cpu,
          Bench.loadAverage());
      return nanos;
    } finally {
      for (ChildWorker child : children) {
        child.close();
      }
      Bench.deleteTree(lake);
      Bench.deleteTree(work.resolve("warm-" + round));
    }
  }

  /** Asks for every file into {@code dataset} under {@code lake}; returns the rows published. */
  private static long ask(
      WorkflowClient client,
      ThrottledFileServer server,
      String queue,
      List<Path> inputs,
      Path lake,
      String dataset,
      String round) {
    List<FileIngestWorkflow> requests = new ArrayList<>();
    for (Path file : inputs) {
      String uri = server == null ? file.toUri().toString() : server.url(file);
      FileIngestWorkflow request =
          client.newWorkflowStub(
              FileIngestWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setTaskQueue(queue)
                  .setWorkflowId(WorkflowIds.fileIngest(dataset, uri) + "/" + round)
                  .build());
      WorkflowClient.start(
          request::ingest,
          new FileIngestInput(uri, dataset, "csv", lake.resolve(dataset).toUri().toString()));
      requests.add(request);
    }
    long published = 0;
    for (FileIngestWorkflow request : requests) {
      published +=
          io.temporal.client.WorkflowStub.fromTyped(request)
              .getResult(FileIngestResult.class)
              .rows();
    }
    return published;
  }

  /**
   * {@code files} CSV order files of {@code rows} rows: ID, customer, amount, a timestamp, text.
   */
  private static List<Path> generate(Path dir, int files, int rows) throws IOException {
    Files.createDirectories(dir);
    List<Path> paths = new ArrayList<>();
    for (int f = 0; f < files; f++) {
      Path file = dir.resolve(String.format(Locale.ROOT, "orders-%03d.csv", f));
      try (BufferedWriter out = Files.newBufferedWriter(file)) {
        out.write("order_id,customer,amount,placed_at,note\n");
        for (int i = 0; i < rows; i++) {
          long id = (long) f * 10_000_000L + i;
          out.write(
              String.format(
                  Locale.ROOT,
                  "%d,customer-%d,%.2f,2026-11-%02dT%02d:%02d:00Z,order %d of file %d%n",
                  id,
                  i % 5000,
                  (i % 10000) / 7.0,
                  1 + i % 28,
                  i % 24,
                  i % 60,
                  i,
                  f));
        }
      }
      paths.add(file);
    }
    return paths;
  }

  private static long countRows(Path table) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT COUNT(*) FROM read_parquet('" + table + "/*.parquet')")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
