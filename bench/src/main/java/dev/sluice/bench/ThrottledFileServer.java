package dev.sluice.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * Serves the files of a directory over loopback HTTP, each response paced to at most {@code mbps}
 * MB/s (0: unpaced): a stand-in for a remote store or a WAN link whose per-connection throughput,
 * not this machine's CPU, bounds how fast one file arrives.
 */
final class ThrottledFileServer implements AutoCloseable {
  private static final int CHUNK = 64 * 1024;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Path root;
  private final double bytesPerNano;

  ThrottledFileServer(Path root, double mbps) throws IOException {
    this.root = root;
    this.bytesPerNano = mbps <= 0 ? 0 : mbps * 1e6 / 1e9;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/", this::serve);
    server.setExecutor(executor);
    server.start();
  }

  String url(Path file) {
    return "http://127.0.0.1:"
        + server.getAddress().getPort()
        + "/"
        + root.relativize(file).toString().replace('\\', '/');
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().add("Content-Type", "text/csv");
      exchange.sendResponseHeaders(200, Files.size(file));
      try (OutputStream out = exchange.getResponseBody()) {
        copyPaced(file, out, bytesPerNano);
      }
    }
  }

  /** Copies {@code file} to {@code out} at most {@code bytesPerNano} fast (0: unpaced). */
  static void copyPaced(Path file, OutputStream out, double bytesPerNano) throws IOException {
    long start = System.nanoTime();
    long sent = 0;
    byte[] buffer = new byte[CHUNK];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        out.write(buffer, 0, n);
        sent += n;
        if (bytesPerNano > 0) {
          long due = start + (long) (sent / bytesPerNano);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          }
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
