package dev.sluice.bench;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.workers.ActivityLibrary;
import dev.sluice.workers.SluiceWorker;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
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
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * N Contact rows from the sandbox's Bulk API emulation to Parquet, several ways side by side in one
 * JVM: 1 warm-up round, then {@code --runs} measured rounds, each variant once per round (so drift
 * and other people's load spread over all of them).
 *
 * <ul>
 *   <li>{@code workflow}: the example pipeline through the whole stack: embedded Temporal,
 *       in-process worker, sandbox ({@link DevEnvironment}), started with {@link
 *       PipelineRuns#start}; start to result, and the workflow's own extract-stage time.
 *   <li>{@code plain}: the same activity code in the same order without Temporal ({@link
 *       PlainLoop}); total, and the extract call alone.
 *   <li>{@code file}: the same CSV parser and Parquet staging writer, reading the downloaded CSV
 *       from a local file: no HTTP, no sandbox (DuckDB's conditions).
 *   <li>{@code download}: the sandbox's CSV to a local file over OkHttp (how fast the sandbox
 *       generates rows: it shares the 2 cores with the extraction).
 *   <li>{@code duckdb-1}, {@code duckdb-2}: DuckDB {@code COPY (read_csv) TO parquet}, threads=1/2.
 * </ul>
 *
 * <p>With {@code --server prerendered} (the default) the sandbox only renders the CSV once; the
 * HTTP variants ({@code download}, {@code workflow}, {@code plain}) then read the same pages from a
 * {@link PrerenderedServer} in its own JVM that does no per-row work, once per encoding ({@code
 * -identity}, {@code -gzip}), so their figures are Sluice's. {@code --server sandbox} is the old
 * set-up: the sandbox renders and gzips every page in this JVM.
 *
 * <p>Each variant's CPU seconds are printed beside its wall time: this JVM's (all of its threads,
 * the embedded Temporal server's and the idle worker's too) plus the page server's JVM, which
 * compare on a loaded machine where wall times do not.
 *
 * <p>Usage: {@code ExtractBench [--rows 1000000] [--runs 5] [--page 50000] [--server
 * prerendered|sandbox] [--encodings identity,gzip] [--only download,workflow,plain,file,duckdb]}
 * ({@code -Dextract.keep=DIR} in {@code BENCH_JAVA_OPTS} keeps each run's staged Parquet)
 */
public final class ExtractBench {
  private static final String TASK_QUEUE = "bench-extract";

  private ExtractBench() {}

  /**
   * Where the HTTP variants read from: the sandbox (which renders and gzips every row in this JVM)
   * or a {@link PrerenderedServer} in its own JVM, with its own worker task queue.
   */
  private record Target(
      String suffix,
      String taskQueue,
      PlainLoop plain,
      SandboxCsv downloader,
      PrerenderedServer.Process server,
      AutoCloseable owned)
      implements AutoCloseable {
    /** The page server's CPU so far; 0 for the sandbox (it runs in this JVM). */
    long serverCpu() {
      return server == null ? 0 : server.cpuNanos();
    }

    @Override
    public void close() throws Exception {
      plain.close();
      if (owned != null) {
        owned.close();
      }
    }
  }

  public static void main(String[] args) throws Exception {
    int rows = Integer.parseInt(Bench.arg(args, "rows", "1000000"));
    int runs = Integer.parseInt(Bench.arg(args, "runs", "5"));
    int page = Integer.parseInt(Bench.arg(args, "page", "50000"));
    String server = Bench.arg(args, "server", "prerendered");
    List<String> encodings = List.of(Bench.arg(args, "encodings", "identity,gzip").split(","));
    Set<String> only =
        Set.of(Bench.arg(args, "only", "download,workflow,plain,file,duckdb").split(","));
    System.out.println(
        "ExtractBench rows="
            + rows
            + " runs="
            + runs
            + " (+1 warm-up) page="
            + page
            + " server="
            + server
            + (server.equals("prerendered") ? " encodings=" + encodings : "")
            + " only="
            + only);
    System.out.println(Bench.environment());
    System.out.println("load average before: " + Bench.loadAverage());

    // Ready on the first status poll: the wait stage is not what this measures.
    SandboxConfig config =
        SandboxConfig.defaults()
            .withContactRecords(rows)
            .withPollsBeforeReady(1)
            .withDefaultMaxRecords(page);
    Path work = Bench.tempDir("sluice-extract-bench");
    Path csv = work.resolve("contacts.csv");
    PipelineSpec example = Bench.examplePipeline(UnaryOperator.identity());
    Map<String, List<Long>> times = new LinkedHashMap<>();
    // CPU nanoseconds of each variant: this JVM's and the page server's (a child JVM).
    Map<String, List<Long>> cpus = new LinkedHashMap<>();
    // Of which the page server's.
    Map<String, List<Long>> serverCpus = new LinkedHashMap<>();
    long csvBytes;
    long parquetBytes = 0;
    List<Target> targets = new ArrayList<>();
    try (DevEnvironment dev = DevEnvironment.start(0, config, TASK_QUEUE);
        Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      Map<String, String> sandboxEnv = DevEnvironment.sandboxEnvironment(dev.sandbox(), config);
      SandboxCsv fromSandbox =
          new SandboxCsv(dev.sandbox().baseUrl(), config.clientId(), config.clientSecret());
      // The CSV the file and DuckDB variants read; for the pre-rendered server, its pages too.
      Path pages = work.resolve("pages");
      csvBytes = fromSandbox.download(csv, page, server.equals("prerendered") ? pages : null);
      try {
        if (server.equals("prerendered")) {
          for (String encoding : encodings) {
            targets.add(prerendered(dev, sandboxEnv, pages, encoding, work, config));
          }
        } else {
          targets.add(
              new Target(
                  "", TASK_QUEUE, new PlainLoop(sandboxEnv::get), fromSandbox, null, null));
        }
        for (int round = 0; round <= runs; round++) {
          boolean warmUp = round == 0;
          String label = warmUp ? "warm-up" : "run " + round;
          Map<String, Long> r = new LinkedHashMap<>();
          Map<String, Long> c = new LinkedHashMap<>();
          Map<String, Long> sc = new LinkedHashMap<>();
          for (Target target : targets) {
            if (only.contains("download")) {
              Path scratch = work.resolve("download.csv");
              long t0 = System.nanoTime();
              long jvm0 = processCpu();
              long server0 = target.serverCpu();
              target.downloader().download(scratch, page);
              r.put("download" + target.suffix(), System.nanoTime() - t0);
              cpu(c, sc, "download" + target.suffix(), jvm0, target, server0);
              Files.deleteIfExists(scratch);
            }

            // One logical date (and so one workflow ID and run key) per round and target.
            String date =
                Instant.parse("2026-11-22T00:00:00Z")
                    .plusSeconds(round * 10L + targets.indexOf(target))
                    .toString();
            if (only.contains("workflow")) {
              Path table = work.resolve("workflow-" + round);
              PipelineSpec spec = Bench.withSink(example, table);
              long t0 = System.nanoTime();
              long jvm0 = processCpu();
              long server0 = target.serverCpu();
              String id = PipelineRuns.start(dev.client(), target.taskQueue(), spec, date);
              AsyncIngestResult result =
                  dev.client().newUntypedWorkflowStub(id).getResult(AsyncIngestResult.class);
              r.put("workflow" + target.suffix(), System.nanoTime() - t0);
              cpu(c, sc, "workflow" + target.suffix(), jvm0, target, server0);
              r.put(
                  "workflow-extract" + target.suffix(),
                  result.timings().extractMillis() * 1_000_000);
              // The fixed cost around the extract stage, as the workflow times its stages.
              r.put(
                  "workflow-submit" + target.suffix(), result.timings().submitMillis() * 1_000_000);
              r.put("workflow-wait" + target.suffix(), result.timings().waitMillis() * 1_000_000);
              r.put(
                  "workflow-publish" + target.suffix(),
                  result.timings().publishMillis() * 1_000_000);
              FileBench.check("workflow", result.rows(), rows);
              parquetBytes = Bench.sizeOfTree(table);
              if (warmUp) {
                FileBench.check(
                    "workflow parquet (DuckDB count)",
                    FileBench.count(duck, table + "/*.parquet"),
                    rows);
              }
              keepIfAsked(table, work, "workflow" + target.suffix() + "-" + round);
              Bench.deleteTree(table);
            }

            if (only.contains("plain")) {
              Path table = work.resolve("plain-" + round);
              long t0 = System.nanoTime();
              long jvm0 = processCpu();
              long server0 = target.serverCpu();
              long plainRows =
                  target.plain().run(Bench.withSink(example, table), "plain/" + round, date);
              r.put("plain" + target.suffix(), System.nanoTime() - t0);
              cpu(c, sc, "plain" + target.suffix(), jvm0, target, server0);
              r.put("plain-extract" + target.suffix(), target.plain().lastExtractNanos);
              FileBench.check("plain", plainRows, rows);
              keepIfAsked(table, work, "plain" + target.suffix() + "-" + round);
              Bench.deleteTree(table);
            }
          }

          if (only.contains("file")) {
            Path table = work.resolve("file-" + round);
            long t0 = System.nanoTime();
            long cpu0 = processCpu();
            long fileRows = FileBench.parse(csv, Bench.withSink(example, table));
            r.put("file", System.nanoTime() - t0);
            c.put("file", processCpu() - cpu0);
            FileBench.check("file", fileRows, rows);
            Bench.deleteTree(table);
          }

          for (int threads = 1; only.contains("duckdb") && threads <= 2; threads++) {
            Path out = work.resolve("duck.parquet");
            long t0 = System.nanoTime();
            FileBench.duckdbCopy(
                duck, "SELECT * FROM read_csv('" + csv + "', header = true)", out, threads);
            r.put("duckdb-" + threads, System.nanoTime() - t0);
            if (warmUp) {
              FileBench.check("duckdb parquet", FileBench.count(duck, out.toString()), rows);
            }
            Files.deleteIfExists(out);
          }

          StringBuilder line = new StringBuilder(label + ":");
          r.forEach((k, v) -> line.append(' ').append(k).append('=').append(Bench.seconds(v)));
          line.append("  cpu:");
          c.forEach((k, v) -> line.append(' ').append(k).append('=').append(Bench.seconds(v)));
          line.append("  of which page server:");
          sc.forEach((k, v) -> line.append(' ').append(k).append('=').append(Bench.seconds(v)));
          System.out.println(line + "  (load " + Bench.loadAverage() + ")");
          if (!warmUp) {
            r.forEach((k, v) -> times.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            c.forEach((k, v) -> cpus.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
            sc.forEach((k, v) -> serverCpus.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
          }
        }
      } finally {
        // Before the environment closes: the targets' workers poll its server.
        for (Target target : targets) {
          target.close();
        }
      }
    } finally {
      Bench.deleteTree(work);
    }

    System.out.printf(
        "%nCSV %,d bytes (%.0f bytes/row), Parquet %,d bytes%n",
        csvBytes, (double) csvBytes / rows, parquetBytes);
    System.out.println(
        "| variant | min | median | rows/s (min, median) | MB/s of CSV (min, median) |");
    System.out.println("|---|---|---|---|---|");
    for (var e : times.entrySet()) {
      long min = Bench.min(e.getValue());
      long median = Bench.median(e.getValue());
      System.out.printf(
          "| %s | %s | %s | %s, %s | %s, %s |%n",
          e.getKey(),
          Bench.seconds(min),
          Bench.seconds(median),
          Bench.perSecond(rows, min),
          Bench.perSecond(rows, median),
          Bench.mbPerSecond(csvBytes, min),
          Bench.mbPerSecond(csvBytes, median));
    }
    System.out.println();
    System.out.println(
        "| variant | CPU s, min | CPU s, median | of which the page server's JVM, median |");
    System.out.println("|---|---|---|---|");
    for (var e : cpus.entrySet()) {
      List<Long> byServer = serverCpus.get(e.getKey());
      System.out.printf(
          "| %s | %s | %s | %s |%n",
          e.getKey(),
          Bench.seconds(Bench.min(e.getValue())),
          Bench.seconds(Bench.median(e.getValue())),
          byServer == null ? "" : Bench.seconds(Bench.median(byServer)));
    }
    for (String suffix : times.keySet()) {
      if (suffix.startsWith("plain") && !suffix.startsWith("plain-extract")) {
        String s = suffix.substring("plain".length());
        ratio(times, "workflow" + s, "plain" + s, 0.95);
        ratio(times, "workflow-extract" + s, "plain-extract" + s, 0.95);
        ratio(times, "plain" + s, "file", 0.9);
      }
    }
    ratio(times, "file", "duckdb-1", 1.0);
    ratio(times, "file", "duckdb-2", 1.0);
    System.out.println("load average after: " + Bench.loadAverage());
    // The SDK's and DuckDB's non-daemon threads would keep the JVM alive.
    System.exit(0);
  }

  /** {@link Bench#ratio} when both variants ran ({@code --only}). */
  private static void ratio(Map<String, List<Long>> times, String a, String b, double target) {
    if (times.containsKey(a) && times.containsKey(b)) {
      Bench.ratio(times, a, b, target);
    }
  }

  /**
   * Puts a variant's CPU since {@code jvm0} and {@code server0} into {@code cpu} (this JVM's and
   * the page server's) and the page server's alone into {@code serverCpu}.
   */
  private static void cpu(
      Map<String, Long> cpu,
      Map<String, Long> serverCpu,
      String variant,
      long jvm0,
      Target target,
      long server0) {
    long jvm = processCpu() - jvm0;
    long server = target.serverCpu() - server0;
    cpu.put(variant, jvm + server);
    if (target.server() != null) {
      serverCpu.put(variant, server);
    }
  }

  /** This JVM's CPU nanoseconds so far, all threads. */
  private static long processCpu() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /**
   * With {@code -Dextract.keep=DIR}, copies the staged Parquet of {@code table} to {@code
   * DIR/name} before it is deleted: to compare a run's output before and after a change.
   */
  private static void keepIfAsked(Path table, Path work, String name) throws java.io.IOException {
    String keep = System.getProperty("extract.keep");
    if (keep == null) {
      return;
    }
    Path target = Path.of(keep, name);
    try (var files = Files.walk(table)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(f) && f.toString().endsWith(".parquet")) {
          Path to = target.resolve(table.relativize(f).toString());
          Files.createDirectories(to.getParent());
          Files.copy(f, to);
        }
      }
    }
  }

  /**
   * A {@link PrerenderedServer} over {@code pages} in its own JVM, and a worker on its own task
   * queue (in this JVM, beside the sandbox's) whose pipelines resolve {@code SF_*} to it.
   */
  private static Target prerendered(
      DevEnvironment dev,
      Map<String, String> sandboxEnv,
      Path pages,
      String encoding,
      Path work,
      SandboxConfig config) {
    PrerenderedServer.Process server =
        PrerenderedServer.Process.start(
            pages, encoding.equals("gzip"), work.resolve("prerendered-" + encoding + ".log"));
    Map<String, String> env = new HashMap<>(sandboxEnv);
    env.put("SF_LOGIN_URL", server.baseUrl);
    env.put("SF_INSTANCE_URL", server.baseUrl);
    String queue = TASK_QUEUE + "-" + encoding;
    SluiceWorker worker =
        SluiceWorker.start(
            dev.client(),
            queue,
            ActivityLibrary.create(env::get, new SimpleMeterRegistry()),
            Duration.ofSeconds(5));
    AutoCloseable owned =
        () -> {
          worker.close();
          server.close();
        };
    return new Target(
        "-" + encoding,
        queue,
        new PlainLoop(env::get),
        new SandboxCsv(server.baseUrl, config.clientId(), config.clientSecret()),
        server,
        owned);
  }
}
