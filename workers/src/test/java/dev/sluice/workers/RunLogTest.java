package dev.sluice.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.workers.metrics.MetricsSettings;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.api.enums.v1.RetryState;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunLogTest {

  @Test
  void givenARunFailedByAnActivity_whenDescribed_thenTheActivitysOwnMessage() {
    ApplicationFailure refused =
        ApplicationFailure.newNonRetryableFailure("the provider refused the export", "Refused");
    ActivityFailure failure =
        new ActivityFailure(
            "Activity task failed", 5, 6, "SubmitJob", "1", RetryState.RETRY_STATE_NON_RETRYABLE_FAILURE,
            "worker", refused);

    assertThat(RunLog.cause(failure)).isEqualTo("the provider refused the export");
  }

  @Test
  void givenAWrappedException_whenDescribed_thenTheRootCause_orItsTypeWithoutAMessage() {
    RuntimeException wrapped =
        new UncheckedIOException(new java.io.IOException("connection refused"));

    assertThat(RunLog.cause(wrapped)).isEqualTo("connection refused");
    assertThat(RunLog.cause(new IllegalStateException())).isEqualTo("IllegalStateException");
  }

  @Test
  void givenAWorker_whenStarting_thenOneLineWithAddressNamespaceQueueWhatItHostsAndMetrics() {
    WorkerSettings settings =
        new WorkerSettings(
            "temporal:7233", "prod", "sluice", Duration.ofSeconds(30), WorkerLimits.DEFAULTS);

    String line =
        WorkerMain.startLine(
            settings, new MetricsSettings("127.0.0.1", 9464), "8 workflows (A, B)", Optional.empty());
    String off =
        WorkerMain.startLine(settings, MetricsSettings.disabled(), "8 workflows", Optional.empty());

    assertThat(line)
        .isEqualTo(
            "worker polling temporal:7233 namespace 'prod' task queue 'sluice': 8 workflows (A, B);"
                + " metrics http://127.0.0.1:9464/metrics; payloads not encrypted (set"
                + " SLUICE_CODEC_KEY_ID to encrypt them)");
    assertThat(off).contains("; metrics off;").doesNotContain("\n");
  }
}
