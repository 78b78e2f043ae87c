package dev.sluice.bench;

import dev.sluice.activities.formats.CsvPageParser;
import dev.sluice.activities.fs.HadoopFiles;
import dev.sluice.activities.parquet.ParquetStagingWriter;
import dev.sluice.activities.parquet.ParquetStagingWriter.WriterState;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.ParquetSink;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * How time and heap grow with rows and columns: a generated CSV of R rows and C columns (string,
 * long, decimal(18,2), timestamp and a low-cardinality string, in turn) parsed and written to
 * Parquet by the extract's CSV parser and staging writer, in a child JVM with {@code -Xmx<xmx>}
 * (its peak heap and CPU from {@link ProcessProbe}). Then DuckDB reads every column of the output
 * ({@code min(COLUMNS(*))}, default threads) and reports its size and row groups. Each case runs
 * once per {@code targetFileSize} (which also caps the row group).
 *
 * <p>Usage: {@code GrowthBench [--cases 1000000x10,3000000x10,10000000x10,1000000x100] [--xmx 256m]
 * [--targets 128MB]}
 */
public final class GrowthBench {
  private GrowthBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(args);
      return;
    }
    String[] cases =
        Bench.arg(args, "cases", "1000000x10,3000000x10,10000000x10,1000000x100").split(",");
    String xmx = Bench.arg(args, "xmx", "256m");
    String[] targets = Bench.arg(args, "targets", "128MB").split(",");
    System.out.println("GrowthBench cases=" + String.join(",", cases) + " child -Xmx" + xmx);
    System.out.println(Bench.environment());
    System.out.println("load average before: " + Bench.loadAverage());
    System.out.println(
        "| rows | columns | targetFileSize | CSV | wall | child CPU | peak heap (before GC) | after"
            + " GC max | GCs | Parquet | files / row groups | DuckDB read | load |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    Path work = Bench.tempDir("sluice-growth-bench");
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
      for (String c : cases) {
        int rows = Integer.parseInt(c.split("x")[0]);
        int columns = Integer.parseInt(c.split("x")[1]);
        Path csv = work.resolve("in-" + c + ".csv");
        generate(csv, rows, columns);
        for (String target : targets) {
          Path table = work.resolve("out-" + c + "-" + target);
          long t0 = System.nanoTime();
          Map<String, Long> probe = runChild(xmx, csv, columns, target, table);
          long wall = System.nanoTime() - t0;
          if (probe.get("rows") != rows) {
            throw new IllegalStateException(probe.get("rows") + " rows written, expected " + rows);
          }
          String glob = table + "/staging/*.parquet";
          long r0 = System.nanoTime();
          try (Statement s = duck.createStatement();
              ResultSet rs =
                  s.executeQuery("SELECT min(COLUMNS(*)) FROM read_parquet('" + glob + "')")) {
            rs.next();
          }
          long read = System.nanoTime() - r0;
          long groups;
          long files;
          try (Statement s = duck.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT count(DISTINCT file_name), count(DISTINCT (file_name, row_group_id))"
                          + " FROM parquet_metadata('"
                          + glob
                          + "')")) {
            rs.next();
            files = rs.getLong(1);
            groups = rs.getLong(2);
          }
          System.out.printf(
              "| %,d | %d | %s | %s | %s | %s | %s | %s | %d | %s | %d / %d | %s | %s |%n",
              rows,
              columns,
              target,
              Bench.mib(Files.size(csv)),
              Bench.seconds(probe.get("wallMillis") * 1_000_000),
              Bench.seconds(probe.get("cpuMillis") * 1_000_000),
              Bench.mib(probe.get("heapMaxBeforeGc")),
              Bench.mib(probe.get("heapMaxAfterGc")),
              probe.get("gcCount"),
              Bench.mib(Bench.sizeOfTree(table)),
              files,
              groups,
              Bench.seconds(read),
              Bench.loadAverage());
          System.out.println("  (child JVM start to exit " + Bench.seconds(wall) + ")");
          Bench.deleteTree(table);
        }
        Files.delete(csv);
      }
    } finally {
      Bench.deleteTree(work);
    }
    System.out.println("load average after: " + Bench.loadAverage());
    System.exit(0);
  }

  /** Column k: string, long, decimal(18,2), timestamp, low-cardinality string, in turn. */
  private static void generate(Path csv, int rows, int columns) throws Exception {
    Random random = new Random(14);
    String[] words = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"};
    long start = Instant.parse("2020-01-01T00:00:00Z").toEpochMilli();
    try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
      StringBuilder line = new StringBuilder();
      for (int k = 0; k < columns; k++) {
        line.append(k == 0 ? "" : ",").append("c").append(k);
      }
      out.write(line.append('\n').toString());
      for (int r = 0; r < rows; r++) {
        line.setLength(0);
        for (int k = 0; k < columns; k++) {
          if (k > 0) {
            line.append(',');
          }
          switch (k % 5) {
            case 0 -> line.append("id-").append(Long.toString(random.nextLong() & 0xffffffffffL, 36));
            case 1 -> line.append(random.nextInt(1_000_000));
            case 2 -> line.append(random.nextInt(10_000_000)).append('.').append(10 + random.nextInt(90));
            case 3 -> line.append(Instant.ofEpochMilli(start + r * 1000L + k).toString());
            default -> line.append(words[random.nextInt(words.length)]);
          }
        }
        out.write(line.append('\n').toString());
      }
    }
  }

  private static Map<String, Long> runChild(
      String xmx, Path csv, int columns, String target, Path table) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + xmx);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(GrowthBench.class.getName());
    command.addAll(List.of("child", csv.toString(), "" + columns, target, table.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    Map<String, Long> result = null;
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith("RESULT ")) {
          result = ProcessProbe.parse(line.substring(7));
        } else if (!line.contains("SLF4J") && !line.contains("log4j")) {
          System.out.println("  child: " + line);
        }
      }
    }
    if (p.waitFor() != 0 || result == null) {
      throw new IllegalStateException("child failed: exit " + p.exitValue());
    }
    return result;
  }

  /** In the child JVM: parse and write, then print the probe's window and the row count. */
  private static void child(String[] args) throws Exception {
    Path csv = Path.of(args[1]);
    int columns = Integer.parseInt(args[2]);
    List<ColumnSpec> declared = new ArrayList<>();
    for (int k = 0; k < columns; k++) {
      switch (k % 5) {
        case 1 -> declared.add(new ColumnSpec("c" + k, "long", null));
        case 2 -> declared.add(new ColumnSpec("c" + k, "decimal(18,2)", null));
        case 3 -> declared.add(new ColumnSpec("c" + k, "timestamp", null));
        default -> {}
      }
    }
    ParquetSink sink = new ParquetSink(args[4], "append", "snappy", args[3], declared, null);
    ProcessProbe probe = new ProcessProbe();
    HadoopFiles files = new HadoopFiles(HadoopFiles.defaultConfiguration());
    WriterState done;
    try (ParquetStagingWriter writer =
        new ParquetStagingWriter(files, sink, args[4] + "/staging", "g", null, null)) {
      try (InputStream in = Files.newInputStream(csv)) {
        CsvPageParser parser = new CsvPageParser(',', '"', true);
        parser.parse(in, 1, writer);
      }
      writer.endPage();
      done = writer.finish();
    }
    Map<String, Long> window = probe.window();
    window.put("rows", done.rows());
    System.out.println("RESULT " + ProcessProbe.format(window));
    System.exit(0);
  }
}
