package dev.sluice.activities.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The activity library's two provider meters, tagged by provider host:
 * {@code sluice.http.responses} (tag {@code status}: {@code 2xx} … {@code 5xx}) and
 * {@code sluice.extract.rows}.
 */
public final class HttpMetrics {
  private final MeterRegistry registry;

  /** @param registry the worker's registry */
  public HttpMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts one response of {@code status} from {@code host}. */
  public void response(String host, int status) {
    Counter.builder("sluice.http.responses")
        .description("HTTP responses from providers, by status class")
        .tag("provider", host)
        .tag("status", (status / 100) + "xx")
        .register(registry)
        .increment();
  }

  /** Counts {@code rows} records extracted from {@code host}. */
  public void rows(String host, long rows) {
    Counter.builder("sluice.extract.rows")
        .description("Records parsed from provider pages")
        .tag("provider", host)
        .register(registry)
        .increment(rows);
  }
}
