package dev.sluice.workers.notify;

import dev.sluice.workflows.batchwindow.Routes;

/**
 * Where a worker takes file-arrival notifications ({@code POST /notify}), and the routes it matches
 * them against.
 *
 * @param bind address the endpoint listens on (default {@value #DEFAULT_BIND}: loopback, like
 *     everything Sluice starts)
 * @param port the port; 0 serves no endpoint
 * @param routes the routes; null when there is no endpoint
 */
public record NotifySettings(String bind, int port, Routes routes) {
  /** Default bind address: loopback only. */
  public static final String DEFAULT_BIND = "127.0.0.1";

  /** Default port, when a routes file is given: beside the metrics' 9464. */
  public static final int DEFAULT_PORT = 9465;

  public NotifySettings {
    bind = bind == null || bind.isBlank() ? DEFAULT_BIND : bind.trim();
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("notify port must be 0 (off) or 1-65535, not " + port);
    }
    if (port > 0 && routes == null) {
      throw new IllegalArgumentException("a notify endpoint needs routes");
    }
  }

  /** No endpoint. */
  public static NotifySettings disabled() {
    return new NotifySettings(DEFAULT_BIND, 0, null);
  }

  /** Whether an endpoint is served. */
  public boolean enabled() {
    return port > 0;
  }
}
