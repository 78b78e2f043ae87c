package dev.sluice.workflows.batchegress;

import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.PlatformConnectionSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Platform sinks and file lists for workflow tests. */
final class Sinks {
  private Sinks() {}

  static final PlatformConnectionSpec CONNECTION =
      new PlatformConnectionSpec(
          "http://127.0.0.1:1/data/foundation",
          null,
          "http://127.0.0.1:1/ims/token/v3",
          "${env:PLATFORM_CLIENT_ID}",
          "${env:PLATFORM_CLIENT_SECRET}",
          "openid,AdobeID,read_organizations",
          null,
          null,
          null,
          "ACME@AdobeOrg",
          null,
          null);

  /** Polls from 10s, ×1.5 up to 20s, for at most two hours; four uploads at once. */
  static PlatformBatchSink sink() {
    return sink(4, Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofHours(2));
  }

  static PlatformBatchSink sink(
      int parallel, Duration pollInterval, Duration maxPollInterval, Duration timeout) {
    return new PlatformBatchSink(
        null,
        null,
        null,
        null,
        null,
        CONNECTION,
        "5c8c3c555033b814b69f947f",
        parallel,
        null,
        null,
        pollInterval,
        maxPollInterval,
        timeout);
  }

  /** {@code n} staged Parquet files with distinct names. */
  static List<String> files(int n) {
    List<String> files = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      files.add(
          String.format(
              "file:///tmp/table/_sluice/staging/ingest_contacts_d/part-%05d.parquet", i));
    }
    return files;
  }
}
