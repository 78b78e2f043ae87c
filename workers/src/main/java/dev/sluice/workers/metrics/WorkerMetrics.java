package dev.sluice.workers.metrics;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's metrics: one Prometheus registry holding both Sluice's own meters (activities record
 * into {@link #registry()}, workflows through {@code Workflow.getMetricsScope()}) and the Temporal
 * SDK's (through {@link #temporalScope()}, set on the worker's {@code
 * WorkflowServiceStubsOptions}), served at {@code /metrics} when the settings ask for an endpoint.
 *
 * <p>Timers get fixed histogram buckets, so Grafana can compute quantiles across workers with
 * {@code histogram_quantile}: the Temporal SDK's latencies from 5ms to 2h, Sluice's provider wait
 * from 1s to 24h.
 */
public final class WorkerMetrics implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerMetrics.class);

  /**
   * How often the SDK's counters and gauges reach the registry (its timers are reported at once).
   * Well under Prometheus' usual 15s scrape interval, and cheap: one pass over the SDK's meters.
   */
  public static final Duration DEFAULT_REPORT_EVERY = Duration.ofSeconds(5);

  /** The name the provider-wait timer is registered under (see AsyncIngestWorkflowImpl). */
  static final String PROVIDER_WAIT = "sluice_provider_wait";

  /**
   * SDK latencies: task and request latencies sit in milliseconds to seconds, activity executions
   * (an extract) can take hours. 18 buckets instead of Micrometer's ~70 for a percentile histogram,
   * which the SDK asks for on every timer: a scrape stays small.
   */
  private static final Duration[] SDK_BUCKETS =
      durations(
          "PT0.005S",
          "PT0.01S",
          "PT0.025S",
          "PT0.05S",
          "PT0.1S",
          "PT0.25S",
          "PT0.5S",
          "PT1S",
          "PT2.5S",
          "PT5S",
          "PT10S",
          "PT30S",
          "PT1M",
          "PT2M",
          "PT5M",
          "PT15M",
          "PT1H",
          "PT2H");

  /** Provider waits: a few seconds for a small export, hours for a big one. */
  private static final Duration[] WAIT_BUCKETS =
      durations(
          "PT1S", "PT5S", "PT15S", "PT30S", "PT1M", "PT2M", "PT5M", "PT10M", "PT20M", "PT30M",
          "PT1H", "PT2H", "PT4H", "PT8H", "PT24H");

  private final PrometheusMeterRegistry registry;
  private final Scope scope;
  private final MetricsEndpoint endpoint;
  private final AtomicBoolean flushed = new AtomicBoolean();

  private WorkerMetrics(PrometheusMeterRegistry registry, Scope scope, MetricsEndpoint endpoint) {
    this.registry = registry;
    this.scope = scope;
    this.endpoint = endpoint;
  }

  /**
   * Creates the registry and the SDK's scope, and serves {@code /metrics} if {@code settings} are
   * {@link MetricsSettings#enabled() enabled}.
   *
   * @throws java.io.UncheckedIOException when the endpoint's address cannot be bound
   */
  public static WorkerMetrics start(MetricsSettings settings) {
    return start(
        settings.enabled() ? new InetSocketAddress(settings.bind(), settings.port()) : null,
        DEFAULT_REPORT_EVERY);
  }

  /**
   * As {@link #start(MetricsSettings)}, serving on {@code address} (port 0: any free port; null: no
   * endpoint), with the SDK's counters reported every {@code reportEvery}.
   */
  static WorkerMetrics start(InetSocketAddress address, Duration reportEvery) {
    PrometheusMeterRegistry registry = newRegistry();
    Scope scope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(com.uber.m3.util.Duration.ofMillis(reportEvery.toMillis()));
    MetricsEndpoint endpoint = null;
    if (address != null) {
      try {
        endpoint = MetricsEndpoint.start(registry, address);
      } catch (RuntimeException e) {
        closeQuietly(scope);
        throw e;
      }
      log.info(
          "serving metrics at http://{}:{}/metrics",
          endpoint.address().getHostString(),
          endpoint.address().getPort());
    }
    return new WorkerMetrics(registry, scope, endpoint);
  }

  static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(buckets());
    return registry;
  }

  private static MeterFilter buckets() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        if (id.getType() != Meter.Type.TIMER) {
          return config;
        }
        Duration[] buckets;
        if (id.getName().equals(PROVIDER_WAIT)) {
          buckets = WAIT_BUCKETS;
        } else if (id.getName().startsWith("temporal_")) {
          buckets = SDK_BUCKETS;
        } else {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .serviceLevelObjectives(
                Stream.of(buckets).mapToDouble(d -> (double) d.toNanos()).toArray())
            .build()
            .merge(config);
      }
    };
  }

  /** Where activities record: the worker's one registry. */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The Temporal SDK's metrics scope, reporting into {@link #registry()}: set it with {@code
   * WorkflowServiceStubsOptions.Builder.setMetricsScope} on the worker's connection, and the SDK's
   * worker, client and request metrics, and {@code Workflow.getMetricsScope()}, all land there.
   */
  public Scope temporalScope() {
    return scope;
  }

  /** The endpoint's bound address, when one is served. */
  public Optional<InetSocketAddress> address() {
    return Optional.ofNullable(endpoint).map(MetricsEndpoint::address);
  }

  /** The current scrape, in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }

  /**
   * Reports the SDK's pending counters and stops reporting. The endpoint keeps serving (so a last
   * scrape sees the final values) until {@link #close()}.
   */
  public void flush() {
    if (flushed.compareAndSet(false, true)) {
      closeQuietly(scope);
    }
  }

  /** Flushes, stops the endpoint, and closes the registry. */
  @Override
  public void close() {
    flush();
    if (endpoint != null) {
      endpoint.close();
    }
    registry.close();
  }

  private static void closeQuietly(Scope scope) {
    try {
      scope.close();
    } catch (Exception e) {
      // Only the final report is lost; the process is stopping anyway.
      log.warn("could not report the last SDK metrics: {}", e.toString());
    }
  }

  private static Duration[] durations(String... isoDurations) {
    return Stream.of(isoDurations).map(Duration::parse).toArray(Duration[]::new);
  }
}
