package dev.sluice.bench;

import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.iceberg.IcebergCatalogs;
import dev.sluice.activities.secrets.SecretResolver;
import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.cli.PipelineRuns;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * The same N Contact rows into the {@code parquet} sink and into the {@code iceberg} sink (Hadoop
 * catalog on the local disk), through the whole stack: embedded Temporal, in-process worker,
 * sandbox ({@link DevEnvironment}), the example pipeline started with {@link PipelineRuns#start}
 * and only its sink changed. 1 warm-up round, then {@code --runs} rounds, each sink once per round
 * (each into a fresh table, so the iceberg figures include creating the table). For each run: start
 * to result, the extract stage (rows written as Parquet files, for Iceberg with field IDs) and the
 * publish stage (the Parquet sink's rename into the table; the Iceberg sink's commit: the run-key
 * look-up, the manifest, the one snapshot). The row count of each table is checked: DuckDB for
 * Parquet, the snapshot summary's {@code total-records} for Iceberg.
 *
 * <p>Usage: {@code IcebergBench [--rows 1000000] [--runs 3] [--page 50000]}
 */
public final class IcebergBench {
  private static final String TASK_QUEUE = "bench-iceberg";

  private IcebergBench() {}

  public static void main(String[] args) throws Exception {
    int rows = Integer.parseInt(Bench.arg(args, "rows", "1000000"));
    int runs = Integer.parseInt(Bench.arg(args, "runs", "3"));
    int page = Integer.parseInt(Bench.arg(args, "page", "50000"));
    System.out.println(
        "IcebergBench rows=" + rows + " runs=" + runs + " (+1 warm-up) page=" + page);
    System.out.println(Bench.environment());
    System.out.println("load average before: " + Bench.loadAverage());
    SandboxConfig config =
        SandboxConfig.defaults()
            .withContactRecords(rows)
            .withPollsBeforeReady(1)
            .withDefaultMaxRecords(page);
    Path work = Bench.tempDir("sluice-iceberg-bench");
    PipelineSpec example = Bench.examplePipeline(UnaryOperator.identity());
    Map<String, List<Long>> times = new LinkedHashMap<>();
    Map<String, Long> bytes = new LinkedHashMap<>();
    IcebergCatalogs catalogs =
        new IcebergCatalogs(HadoopFiles.defaultConfiguration(), SecretResolver.fromSystem());
    try (DevEnvironment dev = DevEnvironment.start(0, config, TASK_QUEUE)) {
      for (int round = 0; round <= runs; round++) {
        Map<String, Long> r = new LinkedHashMap<>();
        for (String sink : List.of("parquet", "iceberg")) {
          Path dir = work.resolve(sink + "-" + round);
          IcebergSink iceberg = iceberg(dir, round);
          PipelineSpec spec =
              sink.equals("parquet") ? Bench.withSink(example, dir) : withSink(example, iceberg);
          String date =
              Instant.parse("2026-11-22T00:00:00Z")
                  .plusSeconds(round * 10L + sink.length())
                  .toString();
          long t0 = System.nanoTime();
          String id = PipelineRuns.start(dev.client(), TASK_QUEUE, spec, date);
          AsyncIngestResult result =
              dev.client().newUntypedWorkflowStub(id).getResult(AsyncIngestResult.class);
          r.put(sink, System.nanoTime() - t0);
          r.put(sink + "-extract", result.timings().extractMillis() * 1_000_000);
          r.put(sink + "-publish", result.timings().publishMillis() * 1_000_000);
          FileBench.check(sink, result.rows(), rows);
          if (sink.equals("parquet")) {
            try (var duck = java.sql.DriverManager.getConnection("jdbc:duckdb:")) {
              FileBench.check(
                  "parquet (DuckDB count)", FileBench.count(duck, dir + "/*.parquet"), rows);
            }
          } else {
            FileBench.check("iceberg (total-records)", totalRecords(catalogs, iceberg), rows);
          }
          bytes.put(sink, Bench.sizeOfTree(dir));
          Bench.deleteTree(dir);
        }
        StringBuilder line = new StringBuilder(round == 0 ? "warm-up:" : "run " + round + ":");
        r.forEach((k, v) -> line.append(' ').append(k).append('=').append(Bench.seconds(v)));
        System.out.println(line + "  (load " + Bench.loadAverage() + ")");
        if (round > 0) {
          r.forEach((k, v) -> times.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
      }
    } finally {
      Bench.deleteTree(work);
    }
    System.out.println();
    bytes.forEach((k, v) -> System.out.printf("%s: %s on disk%n", k, Bench.mib(v)));
    System.out.println("| variant | runs | min | median | rows/s (median) |");
    System.out.println("|---|---|---|---|---|");
    for (var e : times.entrySet()) {
      long median = Bench.median(e.getValue());
      System.out.printf(
          "| %s | %d | %s | %s | %s |%n",
          e.getKey(),
          e.getValue().size(),
          Bench.seconds(Bench.min(e.getValue())),
          Bench.seconds(median),
          e.getKey().endsWith("-publish") ? "-" : Bench.perSecond(rows, median));
    }
    System.out.printf(
        "iceberg / parquet throughput (median wall time ratio): %.2fx%n",
        (double) Bench.median(times.get("parquet")) / Bench.median(times.get("iceberg")));
    System.out.println("load average after: " + Bench.loadAverage());
    System.exit(0); // the SDK's and DuckDB's non-daemon threads would keep the JVM alive
  }

  /** An iceberg sink in a Hadoop catalog at {@code dir}, with the example's columns. */
  private static IcebergSink iceberg(Path dir, int round) {
    return new IcebergSink(
        new IcebergCatalogSpec.Hadoop(dir.toAbsolutePath().toUri().toString()),
        "bench.contacts_" + round,
        "append",
        List.of(),
        null,
        null,
        null,
        null,
        null);
  }

  /** {@code spec} with {@code sink}, the example's compression and declared columns kept. */
  private static PipelineSpec withSink(PipelineSpec spec, IcebergSink sink) {
    ParquetSink parquet = (ParquetSink) spec.sink();
    IcebergSink withColumns =
        new IcebergSink(
            sink.catalog(),
            sink.table(),
            sink.mode(),
            sink.partitionBy(),
            parquet.compression(),
            parquet.targetFileSize(),
            parquet.columns(),
            parquet.inferRows(),
            null);
    return PipelineSpec.newBuilder(spec.name(), spec.source(), withColumns)
        .setDescription(spec.description())
        .setIncremental(spec.incremental())
        .build();
  }

  private static long totalRecords(IcebergCatalogs catalogs, IcebergSink sink) {
    Table table = catalogs.load(sink).orElseThrow();
    Snapshot current = table.currentSnapshot();
    return current == null ? 0 : Long.parseLong(current.summary().get("total-records"));
  }
}
