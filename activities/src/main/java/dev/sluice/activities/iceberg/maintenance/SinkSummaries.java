package dev.sluice.activities.iceberg.maintenance;

import java.util.Map;

/**
 * What maintenance needs to know of the {@code iceberg} sink's snapshot summaries: which window a
 * commit belongs to and whether it carries a watermark. The keys themselves are the sink's.
 */
final class SinkSummaries {
  static final String RUN_KEY = "sluice.run-key";
  static final String WINDOW = "sluice.window";
  static final String WATERMARK_TO = "sluice.watermark.to";

  /** Set on the snapshots maintenance commits, so nobody mistakes them for a run's. */
  static final String MAINTENANCE = "sluice.maintenance";

  private SinkSummaries() {}

  /** The window a sink commit belongs to (its run key when it names none), or null. */
  static String window(Map<String, String> summary) {
    String window = summary.get(WINDOW);
    return window != null ? window : summary.get(RUN_KEY);
  }

  /** Whether the commit carries a watermark the next run may start from. */
  static boolean hasWatermark(Map<String, String> summary) {
    return summary.get(WATERMARK_TO) != null;
  }
}
