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
                timeout),
            new ExtractSpec("http://provider/jobs/${requestId}/results", null, null, null, null),
            new CleanupSpec(abort, delete));
    return new PipelineSpec(
        "contacts",
        "test",
        source,
        new ParquetSink("file:///tmp/table", null, null, null, List.of(), null),
        new IncrementalSpec("SystemModstamp", "1970-01-01T00:00:00Z"));
  }

  static PipelineSpec salesforceLike() {
    return salesforceLike(Duration.ofSeconds(5), 1.5, Duration.ofSeconds(20), Duration.ofHours(1));
  }
}
