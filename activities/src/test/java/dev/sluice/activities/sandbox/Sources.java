package dev.sluice.activities.sandbox;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ExtractSpec;
import java.time.Duration;

/** Variations of a test source's extract settings. */
final class Sources {
  private Sources() {}

  /** {@code source} with {@code extract.pageTimeout} and {@code extract.checkpointInterval}. */
  static AsyncHttpSource withExtract(
      AsyncHttpSource source, Duration pageTimeout, Duration checkpointInterval) {
    ExtractSpec e = source.extract();
    return new AsyncHttpSource(
        source.auth(),
        source.submit(),
        source.status(),
        new ExtractSpec(
            e.url(),
            e.headers(),
            e.format(),
            e.compression(),
            e.pagination(),
            pageTimeout,
            checkpointInterval, null),
        source.cleanup(), null, null, null);
  }
}
