package dev.sluice.activities.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.sandbox.platform.ContentBatchSeed.FileSeed;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.activities.PlatformMessages.RecordSentBatchRequest;
import dev.sluice.workflows.activities.PlatformMessages.SentBatchesRequest;
import dev.sluice.workflows.activities.PlatformMessages.SentBatchesResult;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record of the batch a window was sent as, and which recorded batches a new batch of the same
 * window replaces, against the platform emulation.
 */
class SentBatchRecordTest {
  static SourceSandbox sandbox;

  @TempDir Path dir;
  Path record;

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
    record = dir.resolve("table/_sluice/batches/ingest_p_2024-03-01.json");
  }

  SentBatchesResult sent() {
    return sandbox.batchActivities.sentBatches(
        new SentBatchesRequest(sandbox.sink(SourceSandbox.TYPED), record.toUri().toString()));
  }

  void recordSent(String batchId) {
    sandbox.batchActivities.recordSentBatch(
        new RecordSentBatchRequest(
            record.toUri().toString(),
            SourceSandbox.TYPED,
            batchId,
            List.of("part-a-00000.parquet", "part-a-00001.parquet")));
  }

  @Test
  void givenNoRecord_whenAskingWhatWasSent_thenNothingToReplace() {
    assertThat(sent().batchIds()).isEmpty();
  }

  @Test
  void givenRecordedBatchStillSuccessful_whenAskingWhatWasSent_thenItIsReplaced() {
    sandbox.seed("b-sent", 1_000, FileSeed.text("a.csv", "id\nx\n"));
    recordSent("b-sent");

    assertThat(sent().batchIds()).containsExactly("b-sent");
  }

  @Test
  void givenRecordedBatchFailedLater_whenAskingWhatWasSent_thenNothingToReplace() {
    sandbox.seed("b-sent", 1_000, "processing", FileSeed.text("a.csv", "id\nx\n"));
    recordSent("b-sent");
    sandbox.platform.settleBatch("b-sent", "failed", List.of());

    assertThat(sent().batchIds()).isEmpty();
  }

  @Test
  void givenRecordedBatchGoneFromThePlatform_whenAskingWhatWasSent_thenNothingToReplace() {
    recordSent("b-deleted");

    assertThat(sent().batchIds()).isEmpty();
  }

  @Test
  void givenRecordOfAnotherDataset_whenAskingWhatWasSent_thenNothingToReplace() {
    sandbox.seed("b-sent", 1_000, FileSeed.text("a.csv", "id\nx\n"));
    sandbox.batchActivities.recordSentBatch(
        new RecordSentBatchRequest(record.toUri().toString(), "OTHER", "b-sent", List.of()));

    assertThat(sent().batchIds()).isEmpty();
  }

  @Test
  void givenAnEarlierRecord_whenRecordingAgain_thenReplacedWholeWithNoTemporaryFileLeft()
      throws Exception {
    sandbox.seed("b-first", 1_000, FileSeed.text("a.csv", "id\nx\n"));
    sandbox.seed("b-second", 2_000, FileSeed.text("a.csv", "id\nx\n"));
    recordSent("b-first");

    recordSent("b-second");

    JsonNode json = new ObjectMapper().readTree(record.toFile());
    assertThat(json.get("datasetId").asText()).isEqualTo(SourceSandbox.TYPED);
    assertThat(json.get("batchId").asText()).isEqualTo("b-second");
    assertThat(json.get("files").get(1).asText()).isEqualTo("part-a-00001.parquet");
    assertThat(json.get("recordedAt").asText()).endsWith("Z");
    try (Stream<Path> files = Files.list(record.getParent())) {
      assertThat(files).containsExactly(record);
    }
    assertThat(sent().batchIds()).containsExactly("b-second");
  }

  @Test
  void givenAnUnreadableRecord_whenAskingWhatWasSent_thenNonRetryableNamingTheRecord()
      throws Exception {
    Files.createDirectories(record.getParent());
    Files.writeString(record, "{\"batchId\":");

    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, this::sent);

    assertThat(failure.getType()).isEqualTo(FailureType.MALFORMED_DATA.type());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains(record.getFileName().toString());
  }
}
