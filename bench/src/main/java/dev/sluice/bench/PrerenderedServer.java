package dev.sluice.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * A Bulk API 2.0 query endpoint that serves result pages rendered beforehand, in its own JVM, so
 * the HTTP variants of {@link ExtractBench} measure Sluice and not the emulator: per request it
 * only copies a file to the socket (no row generation, no gzip on the fly).
 *
 * <p>It answers what the example pipeline sends: the client-credentials token, job creation, a
 * status that is {@code JobComplete} at once, result pages ({@code locator} = page number, {@code
 * Sforce-Locator} the next one or {@code null}) and the job's abort and delete. {@code --gzip}
 * serves each page's pre-compressed copy with {@code Content-Encoding: gzip} to a client that
 * accepts it; otherwise pages go out as they are (identity). {@code maxRecords} is ignored: the
 * page size is the one the pages were rendered with.
 *
 * <p>Partitions ({@code extract.result} of type {@code partitions}): the status answer carries
 * {@code "partitions": N} ({@code --partitions N}, default 1), and a results request with {@code
 * part=P} (and {@code parts=N}) serves partition P: the P-th of N consecutive runs of pages, its
 * first page without a {@code locator}, its {@code Sforce-Locator} {@code null} after its last
 * page.
 *
 * <p>{@code --mbps M} paces each response to at most M MB/s (default 0: unpaced), a stand-in for a
 * remote store whose per-connection throughput, not this machine's CPU, bounds a download.
 *
 * <p>Usage: {@code PrerenderedServer --pages DIR [--gzip] [--partitions N] [--mbps M]}; prints {@code LISTENING <url>} on
 * stdout, stops when stdin closes.
 */
public final class PrerenderedServer {
  private static final Pattern RESULTS =
      Pattern.compile("/services/data/v[0-9.]+/jobs/query/([^/]+)/results");
  private static final Pattern JOB = Pattern.compile("/services/data/v[0-9.]+/jobs/query/([^/]+)");

  private final List<Path> pages;
  private final boolean gzip;
  private final long records;
  private final int partitions;
  private final double bytesPerNano;
  private final AtomicLong jobs = new AtomicLong();

  private PrerenderedServer(
      List<Path> pages, boolean gzip, long records, int partitions, double mbps) {
    this.pages = pages;
    this.gzip = gzip;
    this.records = records;
    this.partitions = partitions;
    this.bytesPerNano = mbps <= 0 ? 0 : mbps * 1e6 / 1e9;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(Bench.arg(args, "pages", "pages"));
    boolean gzip = List.of(args).contains("--gzip");
    int partitions = Integer.parseInt(Bench.arg(args, "partitions", "1"));
    double mbps = Double.parseDouble(Bench.arg(args, "mbps", "0"));
    List<Path> pages;
    try (Stream<Path> files = Files.list(dir)) {
      pages = files.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
    }
    if (pages.isEmpty()) {
      throw new IllegalArgumentException("no page-*.csv in " + dir);
    }
    long records = 0;
    for (Path page : pages) {
      records += lines(page) - 1;
      if (gzip) {
        gzipCopy(page);
      }
    }
    PrerenderedServer server = new PrerenderedServer(pages, gzip, records, partitions, mbps);
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    http.setExecutor(Executors.newFixedThreadPool(4));
    http.createContext("/", server::handle);
    http.start();
    System.out.println("LISTENING http://127.0.0.1:" + http.getAddress().getPort());
    System.out.flush();
    // Runs until the benchmark closes our stdin (or dies).
    while (System.in.read() != -1) {
      // ignore input
    }
    http.stop(0);
    System.exit(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      Matcher results = RESULTS.matcher(path);
      Matcher job = JOB.matcher(path);
      if (path.endsWith("/services/oauth2/token")) {
        json(exchange, 200, "{\"access_token\":\"prerendered\",\"token_type\":\"Bearer\"}");
      } else if (path.matches("/services/data/v[0-9.]+/jobs/query") && method.equals("POST")) {
        json(
            exchange,
            200,
            "{\"id\":\"750PRE" + jobs.incrementAndGet() + "\",\"state\":\"UploadComplete\"}");
      } else if (results.matches() && method.equals("GET")) {
        page(exchange);
      } else if (job.matches() && method.equals("GET")) {
        json(
            exchange,
            200,
            "{\"id\":\""
                + job.group(1)
                + "\",\"state\":\"JobComplete\",\"numberRecordsProcessed\":"
                + records
                + ",\"partitions\":"
                + partitions
                + "}");
      } else if (job.matches() && (method.equals("DELETE") || method.equals("PATCH"))) {
        exchange.sendResponseHeaders(204, -1);
      } else {
        json(exchange, 404, "[{\"errorCode\":\"NOT_FOUND\",\"message\":\"" + path + "\"}]");
      }
    }
  }

  private void page(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    int index = -1;
    int part = 0;
    int parts = 1;
    if (query != null) {
      for (String pair : query.split("&")) {
        if (pair.startsWith("locator=")) {
          index = Integer.parseInt(pair.substring("locator=".length()));
        } else if (pair.startsWith("part=")) {
          part = Integer.parseInt(pair.substring("part=".length()));
        } else if (pair.startsWith("parts=")) {
          parts = Integer.parseInt(pair.substring("parts=".length()));
        }
      }
    }
    // Partition `part` of `parts`: pages [first, end).
    int first = (int) ((long) pages.size() * part / parts);
    int end = (int) ((long) pages.size() * (part + 1) / parts);
    if (index == -1) {
      index = first;
    }
    if (index < first || index >= end) {
      json(exchange, 400, "[{\"errorCode\":\"INVALIDLOCATOR\",\"message\":\"" + index + "\"}]");
      return;
    }
    Path file = pages.get(index);
    String accept = exchange.getRequestHeaders().getFirst("Accept-Encoding");
    if (gzip && accept != null && accept.contains("gzip")) {
      file = Path.of(file + ".gz");
      exchange.getResponseHeaders().set("Content-Encoding", "gzip");
    }
    exchange.getResponseHeaders().set("Content-Type", "text/csv");
    exchange
        .getResponseHeaders()
        .set("Sforce-Locator", index + 1 < end ? Integer.toString(index + 1) : "null");
    exchange.sendResponseHeaders(200, Files.size(file));
    try (OutputStream out = exchange.getResponseBody()) {
      ThrottledFileServer.copyPaced(file, out, bytesPerNano);
    }
  }

  private static void json(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /** Records in a page: lines, as the sandbox's Contact rows have no line breaks inside fields. */
  private static long lines(Path page) throws IOException {
    try (Stream<String> s = Files.lines(page)) {
      return s.count();
    }
  }

  private static void gzipCopy(Path page) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(Path.of(page + ".gz")))) {
      Files.copy(page, out);
    }
  }

  /** The server in its own JVM, started by a benchmark. */
  static final class Process implements AutoCloseable {
    private final java.lang.Process process;
    final String baseUrl;

    private Process(java.lang.Process process, String baseUrl) {
      this.process = process;
      this.baseUrl = baseUrl;
    }

    /** Starts it over {@code pages} with this JVM's class path; returns once it listens. */
    static Process start(Path pages, boolean gzip, Path log) {
      return start(pages, gzip, 1, 0, log);
    }

    /**
     * As {@link #start(Path, boolean, Path)}, announcing {@code partitions} in the status, each
     * response paced to {@code mbps} MB/s (0: unpaced).
     */
    static Process start(Path pages, boolean gzip, int partitions, double mbps, Path log) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx256m");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(PrerenderedServer.class.getName());
      command.add("--pages");
      command.add(pages.toString());
      if (gzip) {
        command.add("--gzip");
      }
      command.add("--partitions");
      command.add(Integer.toString(partitions));
      command.add("--mbps");
      command.add(Double.toString(mbps));
      try {
        java.lang.Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("LISTENING ")) {
          p.destroyForcibly();
          throw new IllegalStateException("pre-rendered server did not start; see " + log);
        }
        return new Process(p, line.substring("LISTENING ".length()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    long pid() {
      return process.pid();
    }

    /** The server's CPU time so far (0 where the OS does not say). */
    long cpuNanos() {
      return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    @Override
    public void close() {
      try {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
