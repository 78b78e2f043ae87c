package dev.sluice.workflows.asyncingest;

import dev.sluice.pipeline.*;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Pipeline definitions for workflow tests. */
final class Pipelines {
  private Pipelines() {}

  static PipelineSpec salesforceLike(
      Duration interval, double backoff, Duration max, Duration timeout) {
    RequestSpec abort =
        new RequestSpec(
            "PATCH", "http://provider/jobs/${requestId}", Map.of(), "{\"state\":\"Aborted\"}");
    RequestSpec delete =
        new RequestSpec("DELETE", "http://provider/jobs/${requestId}", Map.of(), null);
    AsyncHttpSource source =
        new AsyncHttpSource(
            null,
            new SubmitSpec(
                null,
                "http://provider/jobs",
                Map.of(),
                "{\"q\":\"${watermark}\"}",
                new RequestIdSpec(null, null, null, null)),
            new StatusSpec(
                null,
                "http://provider/jobs/${requestId}",
                null,
                "/state",
                "^JobComplete$",
                "^Failed$",
                "/errorMessage",
                interval,
                backoff,
                max,
                timeout, null),
            new ExtractSpec(
                "http://provider/jobs/${requestId}/results", null, null, null, null, null, null, null),
            new CleanupSpec(abort, delete), null, null, null);
    return PipelineSpec.newBuilder(
            "contacts",
            source,
            new ParquetSink("file:///tmp/table", null, null, null, List.of(), null))
        .setDescription("test")
        .setIncremental(new IncrementalSpec("SystemModstamp", "1970-01-01T00:00:00Z"))
        .build();
  }

  /** {@code spec} with {@code status.polling} set to {@code polling}. */
  static PipelineSpec polling(PipelineSpec spec, String polling) {
    AsyncHttpSource s = (AsyncHttpSource) spec.source();
    StatusSpec t = s.status();
    StatusSpec status =
        new StatusSpec(
            t.method(), t.url(), t.headers(), t.field(), t.readyWhen(), t.failedWhen(),
            t.errorField(), t.interval(), t.backoff(), t.maxInterval(), t.timeout(), polling);
    return spec.toBuilder()
        .setSource(
            new AsyncHttpSource(
                s.auth(), s.submit(), status, s.extract(), s.cleanup(), s.split(),
                s.concurrency(), s.budget()))
        .build();
  }

  /** {@code spec} polled by a workflow timer loop ({@code status.polling: workflow}). */
  static PipelineSpec timerLoop(PipelineSpec spec) {
    return polling(spec, StatusSpec.WORKFLOW);
  }

  static PipelineSpec salesforceLike() {
    return salesforceLike(Duration.ofSeconds(5), 1.5, Duration.ofSeconds(20), Duration.ofHours(1));
  }

  /** Rows without an email wait for the next run; a row supersedes a deferred one by its Id. */
  static final DeferralSpec DEFER =
      new DeferralSpec(List.of("Email"), List.of("Id"), Duration.ofDays(7), null);

  static PipelineSpec deferring() {
    return salesforceLike().withDefer(DEFER);
  }

  static final String TARGET_DATASET = "5c8c3c555033b814b69f947f";

  /** {@link #salesforceLike()} sending each run to a platform dataset, keeping it at the table. */
  static PipelineSpec sendingToPlatform() {
    PlatformConnectionSpec connection =
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
    return salesforceLike()
        .withSink(
            new PlatformBatchSink(
                "file:///tmp/table",
                null,
                null,
                null,
                null,
                connection,
                TARGET_DATASET,
                null,
                null,
                null,
                Duration.ofSeconds(10),
                Duration.ofSeconds(20),
                Duration.ofHours(1)));
  }
}
