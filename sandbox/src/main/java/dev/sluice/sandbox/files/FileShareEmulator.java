package dev.sluice.sandbox.files;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file share with an HTTP listing endpoint, for the 2-step file download: a directory of
 * generated files, listed as JSON pages with each file's URL, size, MD5 (hex), SHA-256 (base64) and
 * modification time, and served byte for byte.
 *
 * <ul>
 *   <li>{@code GET /files/listing?page=N&pageSize=M}: {@code {"files": [{"name", "url", "size",
 *       "md5", "sha256", "modified"}], "next": "/files/listing?page=N+1&pageSize=M" | null}}
 *   <li>{@code GET /files/content/<name>}: the file
 *   <li>{@code GET /sandbox/files/stats}: downloads started per file, as JSON
 * </ul>
 *
 * Knobs, from Java: {@link #dropMidFile} (the connection is cut halfway through the next downloads
 * of a file), {@link #corruptOnce} (the next download of a file has one byte changed, so its
 * checksum does not match), {@link #touch} (a new version of a file: other content, later time).
 * Listing and content require {@code Authorization: Bearer <token>} when a token is set.
 */
public final class FileShareEmulator {
  /** The files of {@link #defaults()}. */
  public static final int DEFAULT_FILES = 8;

  private static final Instant EPOCH = Instant.parse("2026-11-01T00:00:00Z");

  private final Map<String, SharedFile> files = new LinkedHashMap<>();
  private final Map<String, AtomicInteger> drops = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> corruptions = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> downloads = new ConcurrentHashMap<>();
  private volatile String token;

  /** One shared file. */
  record SharedFile(String name, byte[] content, Instant modified) {}

  /** {@value #DEFAULT_FILES} CSV files of 20–90 KB under {@code reports/}. */
  public static FileShareEmulator defaults() {
    FileShareEmulator share = new FileShareEmulator();
    for (int i = 1; i <= DEFAULT_FILES; i++) {
      share.put(String.format("reports/day-%02d.csv", i), 20_000 + i * 9_000, 0);
    }
    return share;
  }

  private synchronized void put(String name, int size, int version) {
    files.put(
        name,
        new SharedFile(
            name, content(name, size, version), EPOCH.plusSeconds(3600L * files.size() + version)));
  }

  /** Deterministic CSV text of exactly {@code size} bytes. */
  private static byte[] content(String name, int size, int version) {
    StringBuilder b = new StringBuilder(size + 64).append("file,version,line,value\n");
    long x = (name.hashCode() * 31L + version) & 0xffffffffL;
    for (int line = 0; b.length() < size; line++) {
      x = (x * 6364136223846793005L + 1442695040888963407L);
      b.append(name).append(',').append(version).append(',').append(line).append(',');
      b.append(Long.toHexString(x)).append('\n');
    }
    return b.substring(0, size).getBytes(StandardCharsets.US_ASCII);
  }

  /** Requires {@code Authorization: Bearer token} from now on (null: no auth). */
  public void requireBearer(String bearerToken) {
    this.token = bearerToken;
  }

  /**
   * Cuts the connection halfway through each of the next {@code times} downloads of {@code name}.
   */
  public void dropMidFile(String name, int times) {
    drops.computeIfAbsent(name, n -> new AtomicInteger()).addAndGet(times);
  }

  /** Changes one byte of each of the next {@code times} downloads of {@code name}. */
  public void corruptOnce(String name, int times) {
    corruptions.computeIfAbsent(name, n -> new AtomicInteger()).addAndGet(times);
  }

  /** Replaces {@code name} with a new version: other content, a later modification time. */
  public synchronized void touch(String name) {
    SharedFile old = files.get(name);
    int version = (int) (old.modified().getEpochSecond() % 3600) + 1;
    files.put(
        name,
        new SharedFile(
            name, content(name, old.content().length, version), old.modified().plusSeconds(1)));
  }

  /** Downloads started of {@code name} (also those cut off or corrupted). */
  public int downloads(String name) {
    AtomicInteger n = downloads.get(name);
    return n == null ? 0 : n.get();
  }

  /** Every file's name, in listing order. */
  public synchronized List<String> names() {
    return List.copyOf(files.keySet());
  }

  /** The current content of {@code name}. */
  public synchronized byte[] content(String name) {
    return files.get(name).content().clone();
  }

  /** Paths this emulator serves (each a context of the sandbox's server). */
  public static final List<String> PATH_PREFIXES = List.of("/files/", "/sandbox/files/");

  /** The handler of {@link #PATH_PREFIXES}. */
  public HttpHandler handler() {
    return this::handle;
  }

  /** Thrown to have the server drop the connection (it closes it on an unchecked exception). */
  private static final class CutConnection extends RuntimeException {
    CutConnection() {
      super("connection cut mid-file on purpose (sandbox knob)", null, false, false);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    boolean cut = false;
    try {
      route(exchange);
    } catch (CutConnection e) {
      cut = true;
      throw e;
    } finally {
      if (!cut) {
        exchange.close();
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    {
      URI uri = exchange.getRequestURI();
      String path = uri.getRawPath();
      if (!"GET".equals(exchange.getRequestMethod())) {
        send(exchange, 405, "{\"error\":\"GET only\"}");
        return;
      }
      if (path.equals("/sandbox/files/stats")) {
        send(exchange, 200, stats());
        return;
      }
      String expected = token;
      if (expected != null
          && !("Bearer " + expected)
              .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        send(exchange, 401, "{\"error\":\"missing or wrong bearer token\"}");
        return;
      }
      if (path.equals("/files/listing")) {
        Map<String, String> q = query(uri.getRawQuery());
        send(
            exchange,
            200,
            listing(
                Integer.parseInt(q.getOrDefault("page", "1")),
                Integer.parseInt(q.getOrDefault("pageSize", "100"))));
        return;
      }
      if (path.startsWith("/files/content/")) {
        String name =
            URLDecoder.decode(path.substring("/files/content/".length()), StandardCharsets.UTF_8);
        serve(exchange, name);
        return;
      }
      send(exchange, 404, "{\"error\":\"no such endpoint\"}");
    }
  }

  private void serve(HttpExchange exchange, String name) throws IOException {
    SharedFile file;
    synchronized (this) {
      file = files.get(name);
    }
    if (file == null) {
      send(exchange, 404, "{\"error\":\"no such file\"}");
      return;
    }
    downloads.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
    byte[] body = file.content();
    if (take(corruptions, name)) {
      body = body.clone();
      body[body.length / 2] ^= 0x01;
    }
    exchange.getResponseHeaders().set("Content-Type", "text/csv");
    exchange.getResponseHeaders().set("Last-Modified", file.modified().toString());
    exchange.sendResponseHeaders(200, body.length);
    OutputStream out = exchange.getResponseBody();
    if (take(drops, name)) {
      out.write(body, 0, body.length / 2);
      out.flush();
      // The client has half the bytes it was promised, then sees the connection close.
      throw new CutConnection();
    }
    out.write(body);
  }

  private static boolean take(Map<String, AtomicInteger> knob, String name) {
    AtomicInteger n = knob.get(name);
    return n != null && n.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0;
  }

  private synchronized String listing(int page, int pageSize) {
    List<SharedFile> all = new ArrayList<>(files.values());
    int from = Math.max(0, (page - 1) * pageSize);
    int to = Math.min(all.size(), from + pageSize);
    StringBuilder b = new StringBuilder("{\"files\":[");
    for (int i = from; i < to; i++) {
      SharedFile f = all.get(i);
      if (i > from) {
        b.append(',');
      }
      b.append("{\"name\":\"")
          .append(f.name())
          .append("\",\"url\":\"/files/content/")
          .append(f.name())
          .append("\",\"size\":")
          .append(f.content().length)
          .append(",\"md5\":\"")
          .append(HexFormat.of().formatHex(digest("MD5", f.content())))
          .append("\",\"sha256\":\"")
          .append(Base64.getEncoder().encodeToString(digest("SHA-256", f.content())))
          .append("\",\"modified\":\"")
          .append(f.modified())
          .append("\"}");
    }
    b.append("],\"next\":");
    if (to < all.size()) {
      b.append("\"/files/listing?page=").append(page + 1).append("&pageSize=").append(pageSize);
      b.append('"');
    } else {
      b.append("null");
    }
    return b.append('}').toString();
  }

  private String stats() {
    StringBuilder b = new StringBuilder("{\"downloads\":{");
    boolean first = true;
    for (Map.Entry<String, AtomicInteger> e : downloads.entrySet()) {
      b.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue());
      first = false;
    }
    return b.append("}}").toString();
  }

  private static byte[] digest(String algorithm, byte[] content) {
    try {
      return MessageDigest.getInstance(algorithm).digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new LinkedHashMap<>();
    if (raw == null) {
      return q;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        q.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }
}
