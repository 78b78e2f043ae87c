package dev.sluice.workers.metrics;

import java.util.List;

/**
 * Meters reserved for the platform batch activities ({@code PlatformBatchActivities}, issue 4's
 * platform part), which do not exist yet. <b>Nothing records these today</b>, so a worker does not
 * expose them and the dashboard's "Batch outcomes" and "Deferred rows" panels show no data. They
 * are named here so the dashboard, the docs and the activity that will record them agree.
 *
 * <p>Contract for whoever writes those activities: record through the injected {@code
 * MeterRegistry} (as {@code HttpMetrics} does), when the outcome is known, never estimated.
 *
 * <ul>
 *   <li>{@value #BATCH_OUTCOMES}, Prometheus {@code sluice_batch_outcomes_total}: one per batch
 *       handed to the platform, tags {@code pipeline} and {@code outcome} ({@code accepted}, {@code
 *       rejected}, {@code failed}: a small fixed set)
 *   <li>{@value #DEFERRED_ROWS}, Prometheus {@code sluice_deferred_rows_total}: rows the platform
 *       deferred to a later batch, tag {@code pipeline}
 * </ul>
 *
 * When they are recorded, move these names next to the code that records them and remove them from
 * {@link #NOT_YET_RECORDED}: the dashboard test then requires them in a real scrape.
 */
public final class PlatformMeters {
  private PlatformMeters() {}

  /** Batches handed to the platform, by outcome. */
  public static final String BATCH_OUTCOMES = "sluice.batch.outcomes";

  /** Rows the platform deferred. */
  public static final String DEFERRED_ROWS = "sluice.deferred.rows";

  /** Their Prometheus names, which no code records yet. */
  public static final List<String> NOT_YET_RECORDED =
      List.of("sluice_batch_outcomes_total", "sluice_deferred_rows_total");
}
