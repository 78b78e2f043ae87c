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
import dev.sluice.sandbox.SandboxServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Parse and Parquet encoding from a local file, Sluice against DuckDB, for CSV and NDJSON: no HTTP,
 * no Temporal. The input is the example pipeline's Contact rows, rendered once by the sandbox as
 * CSV; DuckDB converts that CSV to NDJSON (numbers as JSON numbers, dates and timestamps as the
 * CSV's strings). Each round runs every variant once, in the same order:
 *
 * <ul>
 *   <li>{@code sluice-csv}, {@code sluice-ndjson}: the extract's page parser and staging writer
 *       over the whole file as one page, with the example's declared columns and compression;
 *   <li>{@code duckdb-csv-1/2}, {@code duckdb-ndjson-1/2}: DuckDB {@code COPY (SELECT * FROM
 *       read_csv|read_json(...)) TO ... (FORMAT parquet, COMPRESSION snappy)} with threads=1/2.
 * </ul>
 *
 * Prints each output's size and row groups (from DuckDB's {@code parquet_metadata}), so the
 * comparison says what each side wrote, and the CPU seconds of each Sluice run: the whole JVM's
 * (user + sys: parser, writer thread, GC, JIT), the parser thread's and the writer thread's. On a
 * loaded machine wall times say little; CPU seconds of two builds run one after the other still
 * compare.
 *
 * <p>Usage: {@code FileBench [--rows 1000000] [--runs 5] [--formats csv,ndjson] [--only
 * sluice]} ({@code --only sluice} leaves DuckDB out, for CPU figures of the Sluice side alone)
 */
public final class FileBench {
  private FileBench() {}

  public static void main(String[] args) throws Exception {
    int rows = Integer.parseInt(Bench.arg(args, "rows", "1000000"));
    int runs = Integer.parseInt(Bench.arg(args, "runs", "5"));
    List<String> formats = List.of(Bench.arg(args, "formats", "csv,ndjson").split(","));
    boolean withDuckdb = !Bench.arg(args, "only", "all").equals("sluice");
    // The JIT keeps improving Sluice's loops for several rounds (measured: CSV 1.68 s in round 1,
    // 1.15-1.20 s in rounds 7-8): --warmups N runs N unmeasured rounds first.
    int warmups = Integer.parseInt(Bench.arg(args, "warmups", "1"));
    System.out.println(
        "FileBench rows=" + rows + " runs=" + runs + " (+" + warmups + " warm-up) formats="
            + formats);
    System.out.println(Bench.environment());
    System.out.println("load average before: " + Bench.loadAverage());
    Path work = Bench.tempDir("sluice-file-bench");
    Map<String, List<Long>> times = new LinkedHashMap<>();
    Map<String, List<Long>> cpu = new LinkedHashMap<>();
    Map<String, String> outputs = new LinkedHashMap<>();
    Map<String, Long> inputBytes = new LinkedHashMap<>();
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      Path csv = work.resolve("contacts.csv");
      SandboxConfig config = SandboxConfig.defaults().withContactRecords(rows);
      try (SandboxServer sandbox = SandboxServer.start(config)) {
        new SandboxCsv(sandbox.baseUrl(), config.clientId(), config.clientSecret())
            .download(csv, 50_000);
      }
      inputBytes.put("csv", Files.size(csv));
      Path ndjson = work.resolve("contacts.ndjson");
      if (formats.contains("ndjson")) {
        toNdjson(duck, csv, ndjson);
        inputBytes.put("ndjson", Files.size(ndjson));
      }
      for (int round = 1 - warmups; round <= runs; round++) {
        Map<String, Long> r = new LinkedHashMap<>();
        StringBuilder cpuLine = new StringBuilder("  CPU:");
        for (String format : formats) {
          Path input = format.equals("csv") ? csv : ndjson;
          Path table = work.resolve("sluice-" + format);
          PipelineSpec spec = Bench.withSink(example(format), table);
          CpuClock clock = new CpuClock();
          long t0 = System.nanoTime();
          long[] writerCpu = new long[1];
          long written = parse(input, spec, writerCpu);
          r.put("sluice-" + format, System.nanoTime() - t0);
          Map<String, List<Long>> into = round > 0 ? cpu : new LinkedHashMap<>();
          cpuLine.append(clock.stop(into, "sluice-" + format, writerCpu[0]));
          check("sluice-" + format, written, rows);
          if (round == 0) {
            outputs.put("sluice-" + format, describe(duck, table + "/**/*.parquet", table));
          }
          Bench.deleteTree(table);
          String read =
              format.equals("csv")
                  ? "read_csv('" + csv + "', header = true)"
                  : "read_json('" + ndjson + "', format = 'newline_delimited')";
          for (int threads = 1; withDuckdb && threads <= 2; threads++) {
            Path out = work.resolve("duck-" + format + ".parquet");
            t0 = System.nanoTime();
            duckdbCopy(duck, "SELECT * FROM " + read, out, threads);
            r.put("duckdb-" + format + "-" + threads, System.nanoTime() - t0);
            if (round == 0) {
              check("duckdb-" + format, count(duck, out.toString()), rows);
              outputs.put("duckdb-" + format, describe(duck, out.toString(), out));
            }
            Files.deleteIfExists(out);
          }
        }
        StringBuilder line = new StringBuilder(round <= 0 ? "warm-up:" : "run " + round + ":");
        r.forEach((k, v) -> line.append(' ').append(k).append('=').append(Bench.seconds(v)));
        System.out.println(line + "  (load " + Bench.loadAverage() + ")");
        System.out.println(cpuLine);
        if (round > 0) {
          r.forEach((k, v) -> times.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
      }
    } finally {
      Bench.deleteTree(work);
    }
    inputBytes.forEach((f, b) -> System.out.printf("%s input: %,d bytes%n", f, b));
    outputs.forEach((k, v) -> System.out.println(k + " output: " + v));
    System.out.println("| variant | min | median | rows/s (min, median) |");
    System.out.println("|---|---|---|---|");
    times.forEach(
        (k, v) ->
            System.out.printf(
                "| %s | %s | %s | %s, %s |%n",
                k,
                Bench.seconds(Bench.min(v)),
                Bench.seconds(Bench.median(v)),
                Bench.perSecond(rows, Bench.min(v)),
                Bench.perSecond(rows, Bench.median(v))));
    System.out.println(
        "| variant | CPU s (min, median) | parser thread CPU s (min, median)"
            + " | writer thread CPU s (min, median) |");
    System.out.println("|---|---|---|---|");
    for (String format : formats) {
      List<Long> all = cpu.get("sluice-" + format);
      List<Long> parser = cpu.get("sluice-" + format + " parser");
      List<Long> writer = cpu.get("sluice-" + format + " writer");
      System.out.printf(
          "| sluice-%s | %s, %s | %s, %s | %s, %s |%n",
          format,
          Bench.seconds(Bench.min(all)),
          Bench.seconds(Bench.median(all)),
          Bench.seconds(Bench.min(parser)),
          Bench.seconds(Bench.median(parser)),
          Bench.seconds(Bench.min(writer)),
          Bench.seconds(Bench.median(writer)));
    }
    for (String format : withDuckdb ? formats : List.<String>of()) {
      for (int threads = 1; threads <= 2; threads++) {
        String duckdb = "duckdb-" + format + "-" + threads;
        double byMin =
            (double) Bench.min(times.get(duckdb)) / Bench.min(times.get("sluice-" + format));
        double byMedian =
            (double) Bench.median(times.get(duckdb)) / Bench.median(times.get("sluice-" + format));
        System.out.printf(
            "sluice-%s / %s throughput: %.2fx (min), %.2fx (median); target >= 1.00x: %s%n",
            format, duckdb, byMin, byMedian, byMedian >= 1.0 ? "met" : "NOT met");
      }
    }
    System.out.println("load average after: " + Bench.loadAverage());
    System.exit(0);
  }

  /**
   * CPU nanoseconds of this JVM and of the calling (parser) thread since it was made; the writer
   * thread's are measured by {@link #parse} and handed in.
   */
  private static final class CpuClock {
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    private final java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    private final long process = os.getProcessCpuTime();
    private final long thread = threads.getCurrentThreadCpuTime();

    /** Adds the CPU seconds since construction to {@code into}; says them as text. */
    String stop(Map<String, List<Long>> into, String variant, long writer) {
      long all = os.getProcessCpuTime() - process;
      long parser = threads.getCurrentThreadCpuTime() - thread;
      into.computeIfAbsent(variant, k -> new ArrayList<>()).add(all);
      into.computeIfAbsent(variant + " parser", k -> new ArrayList<>()).add(parser);
      into.computeIfAbsent(variant + " writer", k -> new ArrayList<>()).add(writer);
      return " "
          + variant
          + " "
          + Bench.seconds(all)
          + " (parser thread "
          + Bench.seconds(parser)
          + ", writer thread "
          + Bench.seconds(writer)
          + ")";
    }
  }

  /**
   * CPU nanoseconds of the staging writer's thread ({@code parquet-writer-<runKey>}) so far, or -1
   * when there is none: read after {@code endPage} (which waits for it), before {@code finish}
   * stops it. The file's completion runs on the caller's thread and counts as the parser's.
   */
  static long writerThreadCpu(String runKey) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("parquet-writer-" + runKey)) {
        return mx.getThreadCpuTime(t.getId());
      }
    }
    return -1;
  }

  /** The example pipeline reading {@code format} (its columns and compression unchanged). */
  static PipelineSpec example(String format) {
    UnaryOperator<String> edit =
        format.equals("csv")
            ? UnaryOperator.identity()
            : yaml -> yaml.replace("type: csv", "type: " + format);
    return Bench.examplePipeline(edit);
  }

  /** The extract code's parser and staging writer over a local file, as one page. */
  static long parse(Path input, PipelineSpec spec) throws Exception {
    return parse(input, spec, new long[1]);
  }

  /** As above; {@code writerCpu[0]} receives the writer thread's CPU nanoseconds. */
  static long parse(Path input, PipelineSpec spec, long[] writerCpu) throws Exception {
    AsyncHttpSource source = (AsyncHttpSource) spec.source();
    ParquetSink table = (ParquetSink) spec.sink();
    PageParser parser =
        PageParsers.forFormat(source.extract().format(), new ObjectMapper().getFactory(), Set.of());
    HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(
            files, table, table.path() + "/staging", "file", spec.incremental().column(), null)) {
      try (InputStream in = Files.newInputStream(input)) {
        parser.parse(in, 1, writer);
      }
      writer.endPage();
      writerCpu[0] = writerThreadCpu("file");
      WriterState done = writer.finish();
      return done.rows();
    }
  }

  /** DuckDB {@code COPY (select) TO out} as snappy Parquet with {@code threads} threads. */
  static void duckdbCopy(Connection duck, String select, Path out, int threads) throws Exception {
    try (Statement s = duck.createStatement()) {
      s.execute("SET threads = " + threads);
      s.execute("COPY (" + select + ") TO '" + out + "' (FORMAT parquet, COMPRESSION snappy)");
    }
  }

  static long count(Connection duck, String glob) throws Exception {
    try (Statement s = duck.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet('" + glob + "')")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void check(String what, long actual, long expected) {
    if (actual != expected) {
      throw new IllegalStateException(what + ": " + actual + " rows, expected " + expected);
    }
  }

  /** Numbers as JSON numbers; dates and timestamps stay the CSV's ISO strings. */
  private static void toNdjson(Connection duck, Path csv, Path ndjson) throws Exception {
    try (Statement s = duck.createStatement()) {
      s.execute(
          "COPY (SELECT * FROM read_csv('"
              + csv
              + "', header = true, types = {'Birthdate': 'VARCHAR', 'CreatedDate': 'VARCHAR',"
              + " 'SystemModstamp': 'VARCHAR'})) TO '"
              + ndjson
              + "' (FORMAT json)");
    }
  }

  /** Bytes, files and row groups of the Parquet files at {@code glob}. */
  private static String describe(Connection duck, String glob, Path root) throws Exception {
    try (Statement s = duck.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT count(DISTINCT file_name), count(DISTINCT (file_name, row_group_id))"
                    + " FROM parquet_metadata('"
                    + glob
                    + "')")) {
      rs.next();
      return String.format(
          "%,d bytes in %d file(s), %d row group(s)",
          Files.isDirectory(root) ? Bench.sizeOfTree(root) : Files.size(root),
          rs.getLong(1),
          rs.getLong(2))
          + ", SHA-256 "
          + sha256(root);
    }
  }

  /**
   * SHA-256 of the Parquet file(s) under {@code root} (a file, or a tree hashed in path order): a
   * change meant as a pure speed-up must leave it as it was.
   */
  private static String sha256(Path root) throws Exception {
    java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (var walk = Files.walk(root)) {
        walk.filter(p -> p.toString().endsWith(".parquet")).sorted().forEach(files::add);
      }
    } else {
      files.add(root);
    }
    for (Path file : files) {
      digest.update(Files.readAllBytes(file));
    }
    return java.util.HexFormat.of().formatHex(digest.digest()).substring(0, 16);
  }
}
