package dev.sluice.bench;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workers.SluiceWorker;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The same N Contact rows through the whole workflow path twice, side by side: as a single stream
 * (the example pipeline: one extract activity following {@code Sforce-Locator} page after page),
 * and as {@code --parts} partitions ({@code extract.result} of type {@code partitions}, {@code
 * maxParallel} {@code --max-parallel}: {@code planParts}, then one {@code extractPart} activity per
 * partition, each paging through its share). 1 warm-up round, then {@code --runs} rounds, the two
 * variants interleaved in each; min and median of start-to-result and of the workflow's own
 * extract stage, and the ratio single / partitioned.
 *
 * <p>As {@link ExtractBench}: embedded Temporal and an in-process worker ({@link DevEnvironment}),
 * the pages pre-rendered once by the sandbox and served by a {@link PrerenderedServer} in its own
 * JVM (identity encoding), which splits them into consecutive runs per partition. Both variants
 * read the same pages and write the same rows; the row count is checked (DuckDB on the warm-up's
 * tables, the result's count every run).
 *
 * <p>Usage: {@code PartsBench [--rows 1000000] [--runs 5] [--page 50000] [--parts 4]
 * [--max-parallel 4] [--encoding identity|gzip] [--mbps 0] [--only single|parts-4]}: {@code
 * --mbps} paces each page response of the server to that many MB/s (a remote store whose
 * per-connection throughput is the bound); 0, the default, is the CPU-bound case
 */
public final class PartsBench {
  private static final String TASK_QUEUE = "bench-parts";
  private static final String RESULTS_URL =
      "    url: ${env:SF_INSTANCE_URL}/services/data/v62.0/jobs/query/${requestId}/results\n";

  private PartsBench() {}

  /**
   * CPU time so far of this JVM's garbage collector threads (G1's workers, concurrent, refinement
   * and young remembered set threads, and the VM thread that runs the pauses), from {@code
   * /proc/self/task}: they live as long as the JVM, so a difference is what a run cost in GC.
   */
  private static long gcCpuNanos() {
    long ticks = 0;
    try (var tasks = java.nio.file.Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        try {
          String comm = java.nio.file.Files.readString(task.resolve("comm")).trim();
          if (comm.startsWith("GC Thread")
              || comm.startsWith("G1 ")
              || comm.equals("VM Thread")) {
            String stat = java.nio.file.Files.readString(task.resolve("stat"));
            // Fields after the command's closing parenthesis; utime and stime are 14th and 15th.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (java.io.IOException | RuntimeException gone) {
          // The thread ended meanwhile.
        }
      }
    } catch (java.io.IOException e) {
      return 0;
    }
    return ticks * 10_000_000L; // USER_HZ = 100
  }

  /** CPU time so far of this JVM and of the page server's. */
  private static long cpuNanos(PrerenderedServer.Process server) {
    var os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os.getProcessCpuTime() + server.cpuNanos();
  }

  public static void main(String[] args) throws Exception {
    int rows = Integer.parseInt(Bench.arg(args, "rows", "1000000"));
    int runs = Integer.parseInt(Bench.arg(args, "runs", "5"));
    int page = Integer.parseInt(Bench.arg(args, "page", "50000"));
    int parts = Integer.parseInt(Bench.arg(args, "parts", "4"));
    int maxParallel = Integer.parseInt(Bench.arg(args, "max-parallel", "4"));
    String encoding = Bench.arg(args, "encoding", "identity");
    // MB/s per connection from the page server (0: unpaced, the CPU-bound case).
    double mbps = Double.parseDouble(Bench.arg(args, "mbps", "0"));
    System.out.printf(
        "PartsBench rows=%d runs=%d (+1 warm-up) page=%d parts=%d maxParallel=%d encoding=%s"
            + " mbps=%s%n",
        rows, runs, page, parts, maxParallel, encoding, mbps == 0 ? "unpaced" : mbps);
    System.out.println(Bench.environment());
    System.out.println("load average before: " + Bench.loadAverage());

    SandboxConfig config =
        SandboxConfig.defaults()
            .withContactRecords(rows)
            .withPollsBeforeReady(1)
            .withDefaultMaxRecords(page);
    Path work = Bench.tempDir("sluice-parts-bench");
    Map<String, PipelineSpec> variants = new LinkedHashMap<>();
    variants.put("single", Bench.examplePipeline(UnaryOperator.identity()));
    variants.put(
        "parts-" + parts,
        Bench.examplePipeline(
            yaml -> {
              if (!yaml.contains(RESULTS_URL)) {
                throw new IllegalStateException("the example's extract.url changed");
              }
              return yaml.replace(
                  RESULTS_URL,
                  "    result:\n"
                      + "      type: partitions\n"
                      + "      count: /partitions\n"
                      + "      url: ${env:SF_INSTANCE_URL}/services/data/v62.0/jobs/query/"
                      + "${requestId}/results?parts="
                      + parts
                      + "&part=${partition}\n"
                      + "      maxParallel: "
                      + maxParallel
                      + "\n");
            }));
    // --only single|parts-N: one variant alone (for a profile of it).
    String only = Bench.arg(args, "only", null);
    if (only != null) {
      variants.keySet().retainAll(List.of(only));
    }
    Map<String, List<Long>> times = new LinkedHashMap<>();
    try (DevEnvironment dev = DevEnvironment.start(0, config, TASK_QUEUE);
        Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      Map<String, String> env = new HashMap<>(DevEnvironment.sandboxEnvironment(dev.sandbox(), config));
      Path pages = work.resolve("pages");
      new SandboxCsv(dev.sandbox().baseUrl(), config.clientId(), config.clientSecret())
          .download(work.resolve("contacts.csv"), page, pages);
      try (PrerenderedServer.Process server =
          PrerenderedServer.Process.start(
              pages, encoding.equals("gzip"), parts, mbps, work.resolve("prerendered.log"))) {
        env.put("SF_LOGIN_URL", server.baseUrl);
        env.put("SF_INSTANCE_URL", server.baseUrl);
        String queue = TASK_QUEUE + "-" + encoding;
        try (SluiceWorker worker =
            SluiceWorker.start(
                dev.client(),
                queue,
                ActivityLibrary.create(env::get, new SimpleMeterRegistry()),
                Duration.ofSeconds(5))) {
          for (int round = 0; round <= runs; round++) {
            boolean warmUp = round == 0;
            Map<String, Long> r = new LinkedHashMap<>();
            int v = 0;
            for (var variant : variants.entrySet()) {
              Path table = work.resolve(variant.getKey() + "-" + round);
              PipelineSpec spec = Bench.withSink(variant.getValue(), table);
              // One logical date (one workflow ID) per round and variant.
              String date =
                  Instant.parse("2026-12-07T00:00:00Z").plusSeconds(round * 10L + v++).toString();
              long cpu0 = cpuNanos(server);
              long gc0 = gcCpuNanos();
              long t0 = System.nanoTime();
              String id = PipelineRuns.start(dev.client(), queue, spec, date);
              AsyncIngestResult result =
                  dev.client().newUntypedWorkflowStub(id).getResult(AsyncIngestResult.class);
              r.put(variant.getKey(), System.nanoTime() - t0);
              // CPU of this JVM (worker, embedded server) and of the page server: the cores used.
              r.put(variant.getKey() + "-cpu", cpuNanos(server) - cpu0);
              r.put(variant.getKey() + "-gc-cpu", gcCpuNanos() - gc0);
              r.put(
                  variant.getKey() + "-extract", result.timings().extractMillis() * 1_000_000);
              FileBench.check(variant.getKey(), result.rows(), rows);
              if (warmUp) {
                FileBench.check(
                    variant.getKey() + " parquet (DuckDB count)",
                    FileBench.count(duck, table + "/*.parquet"),
                    rows);
                System.out.printf(
                    "%s: %,d Parquet bytes%n", variant.getKey(), Bench.sizeOfTree(table));
              }
              Bench.deleteTree(table);
            }
            StringBuilder line = new StringBuilder(warmUp ? "warm-up:" : "run " + round + ":");
            r.forEach((k, x) -> line.append(' ').append(k).append('=').append(Bench.seconds(x)));
            System.out.println(line + "  (load " + Bench.loadAverage() + ")");
            if (!warmUp) {
              r.forEach((k, x) -> times.computeIfAbsent(k, y -> new ArrayList<>()).add(x));
            }
          }
        }
      }
    } finally {
      Bench.deleteTree(work);
    }

    System.out.println();
    System.out.println("| variant | min | median | rows/s (min, median) |");
    System.out.println("|---|---|---|---|");
    for (var e : times.entrySet()) {
      long min = Bench.min(e.getValue());
      long median = Bench.median(e.getValue());
      if (e.getKey().endsWith("-cpu")) {
        System.out.printf(
            "| %s (CPU s) | %s | %s | |%n", e.getKey(), Bench.seconds(min), Bench.seconds(median));
        continue;
      }
      System.out.printf(
          "| %s | %s | %s | %s, %s |%n",
          e.getKey(),
          Bench.seconds(min),
          Bench.seconds(median),
          Bench.perSecond(rows, min),
          Bench.perSecond(rows, median));
    }
    for (String v : variants.keySet()) {
      System.out.printf(
          "%s: cores used (CPU / wall, median run): %.2f%n",
          v,
          (double) Bench.median(times.get(v + "-cpu")) / Bench.median(times.get(v)));
    }
    String partsKey = "parts-" + parts;
    if (variants.size() == 2) {
      Bench.ratio(times, partsKey, "single", 1.6);
      Bench.ratio(times, partsKey + "-extract", "single-extract", 1.6);
    }
    System.out.println("load average after: " + Bench.loadAverage());
    // The SDK's and DuckDB's non-daemon threads would keep the JVM alive.
    System.exit(0);
  }
}
