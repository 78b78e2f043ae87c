package dev.sluice.activities.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.sandbox.platform.BatchError;
import dev.sluice.sandbox.platform.ContentBatchSeed;
import dev.sluice.sandbox.platform.ContentBatchSeed.FileSeed;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.PlatformMessages.PlatformError;
import dev.sluice.workflows.activities.PlatformSourceMessages.LastBatchRequest;
import dev.sluice.workflows.activities.PlatformSourceMessages.LastBatchResult;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The guide's "last batch status" check against the platform emulation. */
class LastSourceBatchTest {
  static SourceSandbox sandbox;

  @BeforeAll
  static void start() {
    sandbox = new SourceSandbox();
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.reset();
  }

  LastBatchResult lastBatch() {
    return sandbox.activities.lastBatch(
        new LastBatchRequest(sandbox.source(SourceSandbox.TYPED, 100)));
  }

  @Test
  void givenSeveralSuccessfulBatches_whenCheckingTheLastBatch_thenTheLatestCreatedIsReady() {
    sandbox.seed("b-late", 3_000, FileSeed.text("a.csv", "id\nx\n"));
    sandbox.seed("b-early", 1_000, FileSeed.text("a.csv", "id\nx\n"));
    sandbox.seed("b-middle", 2_000, FileSeed.text("a.csv", "id\nx\n"));

    LastBatchResult last = lastBatch();

    assertThat(last.batchId()).isEqualTo("b-late");
    assertThat(last.created()).isEqualTo(3_000);
    assertThat(last.status()).isEqualTo("success");
    assertThat(last.outcome()).isEqualTo(Outcome.READY);
    assertThat(last.errors()).isEmpty();
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "loading, PENDING",
    "staging, PENDING",
    "queued, PENDING",
    "processing, PENDING",
    "failure, FAILED",
    "failed, FAILED",
    "aborted, FAILED",
    "inactive, FAILED"
  })
  void givenLatestBatchInAStatus_whenCheckingTheLastBatch_thenClassifiedByWhetherItIsFinal(
      String status, Outcome outcome) {
    sandbox.seed("b-old", 1_000, FileSeed.text("a.csv", "id\nx\n"));
    sandbox.seed("b-new", 2_000, status, FileSeed.text("a.csv", "id\nx\n"));

    LastBatchResult last = lastBatch();

    assertThat(last.batchId()).isEqualTo("b-new");
    assertThat(last.status()).isEqualTo(status);
    assertThat(last.outcome()).isEqualTo(outcome);
  }

  @Test
  void givenLatestBatchFailed_whenCheckingTheLastBatch_thenItsErrorsComeBackVerbatim() {
    String description =
        "Error in validating schema for file: 'adl://lake/stage/b-new/contact.csv' with"
            + " errorMessage=... is not a Parquet file. expected magic number at tail [80, 65, 82,"
            + " 49] but found [57, 98, 55, 10] and errorType=java.lang.RuntimeException";
    sandbox.platform.seedContentBatch(
        new ContentBatchSeed(
            "b-new",
            SourceSandbox.TYPED,
            2_000,
            "failure",
            List.of(),
            List.of(new BatchError("200", description, null))));

    LastBatchResult last = lastBatch();

    assertThat(last.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(last.errors()).containsExactly(new PlatformError("200", description));
  }

  @Test
  void givenBatchStillProcessing_whenItSucceedsLater_thenTheNextCheckSeesItReady() {
    sandbox.seed("b-new", 2_000, "processing", FileSeed.text("a.csv", "id\nx\n"));
    assertThat(lastBatch().outcome()).isEqualTo(Outcome.PENDING);

    sandbox.platform.settleBatch("b-new", "success", List.of());

    assertThat(lastBatch().outcome()).isEqualTo(Outcome.READY);
  }

  @Test
  void givenDatasetWithoutBatches_whenCheckingTheLastBatch_thenNoBatchId() {
    LastBatchResult last = lastBatch();

    assertThat(last.batchId()).isNull();
    assertThat(last.outcome()).isNull();
  }
}
