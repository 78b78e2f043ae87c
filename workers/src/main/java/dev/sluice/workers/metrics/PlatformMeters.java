package dev.sluice.workers.metrics;

import java.util.List;

/**
 * Meters of platform runs that the workflows record through their metrics scope ({@code
 * dev.sluice.workflows.common.Delivery}), so a worker exposes them once it has run such a pipeline:
 *
 * <ul>
 *   <li>Prometheus {@code sluice_batch_outcomes_total}: one per batch handed to a platform, tags
 *       {@code pipeline} and {@code outcome} ({@code accepted}, {@code rejected}, {@code failed})
 *   <li>Prometheus {@code sluice_deferred_rows_total}: rows a run put in the deferred table, tag
 *       {@code pipeline}
 * </ul>
 *
 * The dashboard's "Batch outcomes" and "Deferred rows" panels query them. {@code
 * PipelineMetricsTest} scrapes a worker that ran an async pipeline without a platform sink or
 * deferral, where they cannot appear; {@code DeliveryMetricsTest} (workflows) proves they are
 * counted, once per run.
 */
public final class PlatformMeters {
  private PlatformMeters() {}

  /** Their Prometheus names: absent from a scrape of a worker that ran no platform pipeline. */
  public static final List<String> ONLY_AFTER_PLATFORM_RUNS =
      List.of("sluice_batch_outcomes_total", "sluice_deferred_rows_total");
}
