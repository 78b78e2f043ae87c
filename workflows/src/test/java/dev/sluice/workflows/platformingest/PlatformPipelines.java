package dev.sluice.workflows.platformingest;

import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.pipeline.PlatformConnectionSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Platform-source pipelines and the window they run in, for workflow tests. */
final class PlatformPipelines {
  private PlatformPipelines() {}

  static final String LOGICAL_DATE = "2026-11-22T00:00:00Z";
  static final String WORKFLOW_ID = "ingest/events/" + LOGICAL_DATE;
  static final String TABLE = "file:///tmp/events";
  static final String STAGING = TABLE + "/_sluice/staging/ingest_events_2026-11-22T00-00-00Z";

  /** The window's end (the logical date) and start (one day, the default window, before). */
  static final long WINDOW_END = Instant.parse(LOGICAL_DATE).toEpochMilli();

  static final long WINDOW_START = WINDOW_END - Duration.ofDays(1).toMillis();

  /** {@code hours} into the window. */
  static long at(int hours) {
    return WINDOW_START + Duration.ofHours(hours).toMillis();
  }

  static final PlatformConnectionSpec CONNECTION =
      new PlatformConnectionSpec(
          "http://127.0.0.1:1/data/foundation",
          null,
          "http://127.0.0.1:1/ims/token/v3",
          "${env:PLATFORM_CLIENT_ID}",
          "${env:PLATFORM_CLIENT_SECRET}",
          null,
          null,
          null,
          null,
          "ACME@AdobeOrg",
          null,
          null);

  static PlatformBatchesSource source(
      String read,
      String processing,
      int maxParallel,
      int pageSize,
      Duration settleTimeout,
      Duration settleInterval) {
    return new PlatformBatchesSource(
        CONNECTION,
        "src-dataset",
        read,
        processing,
        maxParallel,
        null,
        pageSize,
        settleTimeout,
        settleInterval);
  }

  static PlatformBatchesSource ordered() {
    return source(
        PlatformBatchesSource.INCREMENTAL, PlatformBatchesSource.ORDERED, 4, 100, null, null);
  }

  static PlatformBatchesSource parallel(int maxParallel) {
    return source(
        PlatformBatchesSource.INCREMENTAL,
        PlatformBatchesSource.PARALLEL,
        maxParallel,
        100,
        null,
        null);
  }

  static PlatformBatchesSource snapshot(int pageSize) {
    return source(
        PlatformBatchesSource.SNAPSHOT, PlatformBatchesSource.ORDERED, 4, pageSize, null, null);
  }

  static PipelineSpec pipeline(PlatformBatchesSource source) {
    return PipelineSpec.newBuilder(
            "events", source, new ParquetSink(TABLE, null, null, null, List.of(), null))
        .setDescription("test")
        .build();
  }

  static final DeferralSpec DEFER =
      new DeferralSpec(List.of("email"), List.of("id"), Duration.ofDays(7), null);

  static PipelineSpec deferring(PlatformBatchesSource source) {
    return pipeline(source).withDefer(DEFER);
  }

  static final String TARGET_DATASET = "target-dataset";

  /** The pipeline with a platform sink whose sent files are kept at {@link #TABLE}. */
  static PipelineSpec sendingToPlatform(PlatformBatchesSource source) {
    PlatformBatchSink sink =
        new PlatformBatchSink(
            TABLE,
            null,
            null,
            null,
            null,
            CONNECTION,
            TARGET_DATASET,
            null,
            null,
            null,
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofHours(1));
    return pipeline(source).withSink(sink);
  }
}
