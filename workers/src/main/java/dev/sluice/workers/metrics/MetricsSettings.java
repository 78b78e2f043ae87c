package dev.sluice.workers.metrics;

import java.util.Map;

/**
 * Where a worker serves its Prometheus metrics.
 *
 * @param bind address the endpoint listens on: {@code SLUICE_METRICS_BIND} (default {@value
 *     #DEFAULT_BIND}; {@code 0.0.0.0} inside a container, so Prometheus can reach it)
 * @param port {@code SLUICE_METRICS_PORT} (default {@value #DEFAULT_PORT}, Prometheus' customary
 *     port for exporters like this); 0 serves no endpoint (meters are still kept)
 */
public record MetricsSettings(String bind, int port) {
  /** Default port: the one Prometheus' own JVM exporters use. */
  public static final int DEFAULT_PORT = 9464;

  /** Default bind address: loopback only, like everything Sluice starts. */
  public static final String DEFAULT_BIND = "127.0.0.1";

  public MetricsSettings {
    bind = bind == null || bind.isBlank() ? DEFAULT_BIND : bind.trim();
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("metrics port must be 0 (off) or 1-65535, not " + port);
    }
  }

  /** No endpoint. */
  public static MetricsSettings disabled() {
    return new MetricsSettings(DEFAULT_BIND, 0);
  }

  /**
   * Reads {@code SLUICE_METRICS_PORT} and {@code SLUICE_METRICS_BIND} from an environment map.
   *
   * @throws IllegalArgumentException when the port is not a number in 0-65535
   */
  public static MetricsSettings fromEnvironment(Map<String, String> env) {
    String port = env.get("SLUICE_METRICS_PORT");
    int number = DEFAULT_PORT;
    if (port != null && !port.isBlank()) {
      try {
        number = Integer.parseInt(port.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "SLUICE_METRICS_PORT: '" + port + "' is not a port number (0 turns the endpoint off)");
      }
    }
    return new MetricsSettings(env.get("SLUICE_METRICS_BIND"), number);
  }

  /** Whether an endpoint is served. */
  public boolean enabled() {
    return port > 0;
  }
}
