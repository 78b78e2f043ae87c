package dev.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.activities.formats.PageParser;
import dev.sluice.activities.formats.PageParsers;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.ParquetStagingWriter;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
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
 * <p>Usage: {@code ExtractBench [--rows 1000000] [--runs 5] [--page 50000]}
 */
public final class ExtractBench {
  private static final String TASK_QUEUE = "bench-extract";

  private ExtractBench() {}

  public static void main(String[] args) throws Exception {
    int rows = Integer.parseInt(Bench.arg(args, "rows", "1000000"));
    int runs = Integer.parseInt(Bench.arg(args, "runs", "5"));
    int page = Integer.parseInt(Bench.arg(args, "page", "50000"));
    System.out.println(
        "ExtractBench rows=" + rows + " runs=" + runs + " (+1 warm-up) page=" + page);
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
    long csvBytes = 0;
    long parquetBytes = 0;
    try (DevEnvironment dev = DevEnvironment.start(0, config, TASK_QUEUE);
        Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      Map<String, String> envOverlay = DevEnvironment.sandboxEnvironment(dev.sandbox(), config);
      SandboxCsv downloader =
          new SandboxCsv(dev.sandbox().baseUrl(), config.clientId(), config.clientSecret());
      try (PlainLoop plain = new PlainLoop(envOverlay::get)) {
        for (int round = 0; round <= runs; round++) {
          boolean warmUp = round == 0;
          String label = warmUp ? "warm-up" : "run " + round;
          Map<String, Long> r = new LinkedHashMap<>();

          long t0 = System.nanoTime();
          csvBytes = downloader.download(csv, page);
          r.put("download", System.nanoTime() - t0);

          Path table = work.resolve("workflow-" + round);
          PipelineSpec spec = Bench.withSink(example, table);
          String date = Instant.parse("2026-11-22T00:00:00Z").plusSeconds(round).toString();
          t0 = System.nanoTime();
          String id = PipelineRuns.start(dev.client(), TASK_QUEUE, spec, date);
          AsyncIngestResult result =
              dev.client().newUntypedWorkflowStub(id).getResult(AsyncIngestResult.class);
          r.put("workflow", System.nanoTime() - t0);
          r.put("workflow-extract", result.timings().extractMillis() * 1_000_000);
          check("workflow", result.rows(), rows);
          parquetBytes = Bench.sizeOfTree(table);
          if (warmUp) {
            check("workflow parquet (DuckDB count)", count(duck, table + "/*.parquet"), rows);
          }
          Bench.deleteTree(table);

          table = work.resolve("plain-" + round);
          t0 = System.nanoTime();
          long plainRows = plain.run(Bench.withSink(example, table), "plain/" + round, date);
          r.put("plain", System.nanoTime() - t0);
          r.put("plain-extract", plain.lastExtractNanos);
          check("plain", plainRows, rows);
          Bench.deleteTree(table);

          table = work.resolve("file-" + round);
          t0 = System.nanoTime();
          long fileRows = parseFile(csv, Bench.withSink(example, table));
          r.put("file", System.nanoTime() - t0);
          check("file", fileRows, rows);
          Bench.deleteTree(table);

          for (int threads = 1; threads <= 2; threads++) {
            Path out = work.resolve("duck.parquet");
            t0 = System.nanoTime();
            duckdbCopy(duck, csv, out, threads);
            r.put("duckdb-" + threads, System.nanoTime() - t0);
            if (warmUp) {
              check("duckdb parquet", count(duck, out.toString()), rows);
            }
            Files.deleteIfExists(out);
          }

          StringBuilder line = new StringBuilder(label + ":");
          r.forEach((k, v) -> line.append(' ').append(k).append('=').append(Bench.seconds(v)));
          System.out.println(line + "  (load " + Bench.loadAverage() + ")");
          if (!warmUp) {
            r.forEach((k, v) -> times.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
          }
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
    ratio(times, "workflow", "plain", 0.9);
    ratio(times, "workflow-extract", "plain-extract", 0.9);
    ratio(times, "plain", "duckdb-1", 0.7);
    ratio(times, "plain", "duckdb-2", 0.7);
    ratio(times, "file", "duckdb-1", 0.7);
    ratio(times, "file", "duckdb-2", 0.7);
    System.out.println("load average after: " + Bench.loadAverage());
    // The SDK's and DuckDB's non-daemon threads would keep the JVM alive.
    System.exit(0);
  }

  /** Throughput of {@code a} relative to {@code b} (time of b / time of a), min and median. */
  private static void ratio(Map<String, List<Long>> t, String a, String b, double target) {
    double byMin = (double) Bench.min(t.get(b)) / Bench.min(t.get(a));
    double byMedian = (double) Bench.median(t.get(b)) / Bench.median(t.get(a));
    System.out.printf(
        "%s / %s throughput: %.2fx (min), %.2fx (median); target >= %.1fx: %s%n",
        a, b, byMin, byMedian, target, byMedian >= target ? "met" : "NOT met");
  }

  /** The extract code's parser and staging writer over a local CSV file, as one page. */
  private static long parseFile(Path csv, PipelineSpec spec) throws Exception {
    AsyncHttpSource source = (AsyncHttpSource) spec.source();
    ParquetSink table = (ParquetSink) spec.sink();
    PageParser parser =
        PageParsers.forFormat(source.extract().format(), new ObjectMapper().getFactory(), Set.of());
    HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(
            files, table, table.path() + "/staging", "file", spec.incremental().column(), null)) {
      try (InputStream in = Files.newInputStream(csv)) {
        parser.parse(in, 1, writer);
      }
      writer.endPage();
      WriterState done = writer.finish();
      return done.rows();
    }
  }

  private static void duckdbCopy(Connection duck, Path csv, Path out, int threads)
      throws Exception {
    try (Statement s = duck.createStatement()) {
      s.execute("SET threads = " + threads);
      s.execute(
          "COPY (SELECT * FROM read_csv('"
              + csv
              + "', header = true)) TO '"
              + out
              + "' (FORMAT parquet, COMPRESSION snappy)");
    }
  }

  private static long count(Connection duck, String glob) throws Exception {
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + glob + "')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static void check(String what, long actual, long expected) {
    if (actual != expected) {
      throw new IllegalStateException(what + ": " + actual + " rows, expected " + expected);
    }
  }
}
