package dev.sluice.sandbox.platform;

import static dev.sluice.sandbox.platform.PlatformClient.FOUNDATION;
import static dev.sluice.sandbox.platform.PlatformClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlatformIngestTest {

  private static final String PROFILES = PlatformEmulator.SEEDED_PROFILES;
  private static final DatasetSeed PROFILE_SCHEMA = DefaultSeeds.datasets().get(0);
  private static SandboxServer sandbox;
  private static PlatformClient client;

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.start(SandboxConfig.defaults());
    client = new PlatformClient(sandbox.baseUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.platform().reset();
    client.forgetToken();
  }

  @Test
  void givenSimpleAndChunkedUploads_whenCompleted_thenProcessingThenSuccessAndFilesReadable()
      throws Exception {
    byte[] small = SeedParquet.file(PROFILE_SCHEMA, "up", 0, 5);
    byte[] large = SeedParquet.file(PROFILE_SCHEMA, "up", 1, 300);
    String batchId = client.createBatch(PROFILES);

    HttpResponse<String> put = client.upload(batchId, PROFILES, "small.parquet", small);
    HttpResponse<String> chunked =
        client.uploadInChunks(batchId, PROFILES, "large.parquet", large, 1000);
    HttpResponse<String> complete = client.batchAction(batchId, "COMPLETE");
    JsonNode firstPoll = client.batch(batchId);
    JsonNode secondPoll = client.batch(batchId);

    assertThat(json(put).get(batchId).get("sizeInBytes").asLong()).isEqualTo(small.length);
    assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(200);
    assertThat(complete.statusCode()).isEqualTo(200);
    assertThat(complete.body()).isEmpty();
    assertThat(firstPoll.get("status").asText()).isEqualTo("processing");
    assertThat(secondPoll.get("status").asText()).isEqualTo("success");
    assertThat(secondPoll.get("metrics").get("recordCount").asLong()).isEqualTo(305);
    JsonNode files = client.get(FOUNDATION + "/export/batches/" + batchId + "/files");
    assertThat(files.get("data").size()).isEqualTo(2);
    String fileUrl = files.get("data").get(0).get("_links").get("self").get("href").asText();
    String contentUrl =
        client.get(fileUrl).get("data").get(0).get("_links").get("self").get("href").asText();
    assertThat(client.sendForBytes(client.authed(contentUrl)).body()).isEqualTo(large);
  }

  @Test
  void givenCsvUploaded_whenCompleted_thenFailureWithGuidesMagicNumberText() throws Exception {
    String batchId = client.createBatch(PROFILES);
    client.upload(
        batchId, PROFILES, "contact.csv", "name,age\n9b7\n".getBytes(StandardCharsets.UTF_8));
    client.batchAction(batchId, "COMPLETE");

    JsonNode batch = client.awaitFinal(batchId);

    assertThat(batch.get("status").asText()).isEqualTo("failure");
    JsonNode error = batch.get("errors").get(0);
    assertThat(error.get("code").asText()).isEqualTo("200");
    assertThat(error.get("description").asText())
        .isEqualTo(
            "Error in validating schema for file: 'sbx://platform/stage/"
                + batchId
                + "/"
                + PROFILES
                + "/contact.csv' with errorMessage=sbx://platform/stage/"
                + batchId
                + "/"
                + PROFILES
                + "/contact.csv is not a Parquet file. expected magic number at tail [80, 65, 82,"
                + " 49] but found [57, 98, 55, 10] and errorType=java.lang.RuntimeException");
    assertThat(error.get("rows").isArray()).isTrue();
    assertThat(client.get(FOUNDATION + "/export/batches/" + batchId + "/files").get("data").size())
        .isZero();
  }

  @Test
  void givenEmptyFile_whenCompleted_thenFailureLengthTooLow() throws Exception {
    String batchId = client.createBatch(PROFILES);
    client.upload(batchId, PROFILES, "empty.parquet", new byte[0]);
    client.batchAction(batchId, "COMPLETE");

    assertThat(client.awaitFinal(batchId).get("errors").get(0).get("description").asText())
        .contains("empty.parquet is not a Parquet file (length is too low: 0)");
  }

  @Test
  void givenColumnTypeDiffersFromSchema_whenCompleted_thenFailureNamesTheColumn() throws Exception {
    DatasetSeed wrong =
        new DatasetSeed(
            "w",
            "w",
            0,
            null,
            false,
            List.of(
                new DatasetSeed.Field("personId", FieldType.STRING),
                new DatasetSeed.Field("birthYear", FieldType.STRING),
                new DatasetSeed.Field("shoeSize", FieldType.INT)));
    String batchId = client.createBatch(PROFILES);
    client.upload(batchId, PROFILES, "wrong.parquet", SeedParquet.file(wrong, "w", 0, 3));
    client.batchAction(batchId, "COMPLETE");

    String description =
        client.awaitFinal(batchId).get("errors").get(0).get("description").asText();

    assertThat(description)
        .contains("column 'birthYear' is BINARY (STRING), the schema has int (INT32)")
        .contains("column 'shoeSize' is not a field of the schema");
  }

  @Test
  void givenSameNameUploadedTwice_whenCompleted_thenOneFileHoldingTheLastUpload() throws Exception {
    byte[] first = SeedParquet.file(PROFILE_SCHEMA, "a", 0, 3);
    byte[] second = SeedParquet.file(PROFILE_SCHEMA, "a", 0, 7);
    String batchId = client.createBatch(PROFILES);
    client.upload(batchId, PROFILES, "part-0.parquet", first);
    client.upload(batchId, PROFILES, "part-0.parquet", second);
    client.batchAction(batchId, "COMPLETE");

    JsonNode batch = client.awaitFinal(batchId);

    assertThat(batch.get("metrics").get("recordCount").asLong()).isEqualTo(7);
    PlatformStats.BatchSummary summary = sandbox.platform().stats().batch(batchId);
    assertThat(summary.files())
        .containsExactly(new PlatformStats.FileSummary("part-0.parquet", second.length, 2));
  }

  @Test
  void givenUploadsFailing_whenUploading_then503TwiceAndNothingStoredThenStored() throws Exception {
    sandbox.platform().failUploads(2, 503);
    byte[] file = SeedParquet.file(PROFILE_SCHEMA, "f", 0, 3);
    String batchId = client.createBatch(PROFILES);

    HttpResponse<String> first = client.upload(batchId, PROFILES, "f.parquet", file);
    HttpResponse<String> second = client.upload(batchId, PROFILES, "f.parquet", file);
    int storedAfterFailures = sandbox.platform().stats().batch(batchId).files().size();
    HttpResponse<String> third = client.upload(batchId, PROFILES, "f.parquet", file);

    assertThat(first.statusCode()).isEqualTo(503);
    assertThat(first.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(second.statusCode()).isEqualTo(503);
    assertThat(storedAfterFailures).isZero();
    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(sandbox.platform().stats().batch(batchId).files()).hasSize(1);
  }

  @Test
  void givenLoadingBatch_whenAborted_thenAbortedAndFinalBatchCannotBeAbortedAgain()
      throws Exception {
    String batchId = client.createBatch(PROFILES);
    client.upload(batchId, PROFILES, "a.parquet", SeedParquet.file(PROFILE_SCHEMA, "a", 0, 1));

    HttpResponse<String> abort = client.batchAction(batchId, "ABORT");
    HttpResponse<String> again = client.batchAction(batchId, "ABORT");
    HttpResponse<String> complete = client.batchAction(batchId, "COMPLETE");

    assertThat(abort.statusCode()).isEqualTo(200);
    assertThat(client.batch(batchId).get("status").asText()).isEqualTo("aborted");
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(complete.statusCode()).isEqualTo(400);
    assertThat(sandbox.platform().stats().aborts()).isEqualTo(2);
  }

  @Test
  void givenCompletedBatch_whenCompleteRetried_then200AndNoFileAccepted() throws Exception {
    String batchId = client.createBatch(PROFILES);
    client.upload(batchId, PROFILES, "a.parquet", SeedParquet.file(PROFILE_SCHEMA, "a", 0, 1));
    client.batchAction(batchId, "COMPLETE");

    HttpResponse<String> retry = client.batchAction(batchId, "COMPLETE");
    HttpResponse<String> lateUpload =
        client.upload(batchId, PROFILES, "b.parquet", SeedParquet.file(PROFILE_SCHEMA, "a", 0, 1));

    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(lateUpload.statusCode()).isEqualTo(400);
    assertThat(client.awaitFinal(batchId).get("status").asText()).isEqualTo("success");
  }

  @Test
  void givenForcedFailure_whenValidBatchCompleted_thenFailedWithThatError() throws Exception {
    sandbox.platform().failAfterComplete("failed", "INGEST-1212", "Promotion timed out");
    sandbox.platform().pollsBeforeFinal(0);
    String batchId = client.createBatch(PROFILES);
    client.upload(batchId, PROFILES, "a.parquet", SeedParquet.file(PROFILE_SCHEMA, "a", 0, 1));
    client.batchAction(batchId, "COMPLETE");

    JsonNode batch = client.batch(batchId);

    assertThat(batch.get("status").asText()).isEqualTo("failed");
    assertThat(batch.get("errors").get(0).get("code").asText()).isEqualTo("INGEST-1212");
  }

  @Test
  void givenReplayOfSeededBatch_whenReplaySucceeds_thenPredecessorReplaced() throws Exception {
    String old = "5eed00000000000000000p01";
    String batchId =
        client.createBatchWith(
            "{\"datasetId\":\""
                + PROFILES
                + "\",\"inputFormat\":{\"format\":\"parquet\"},"
                + "\"replay\":{\"predecessors\":[\""
                + old
                + "\"],\"reason\":\"replace\"}}");
    client.upload(batchId, PROFILES, "a.parquet", SeedParquet.file(PROFILE_SCHEMA, "a", 0, 1));
    client.batchAction(batchId, "COMPLETE");
    String before = client.batch(old).get("status").asText();

    client.awaitFinal(batchId);
    JsonNode replaced = client.batch(old);

    assertThat(before).isEqualTo("success");
    assertThat(replaced.get("status").asText()).isEqualTo("replaced");
    assertThat(replaced.get("replacedBy").asText()).isEqualTo(batchId);
    assertThat(client.batch(batchId).get("replay").get("predecessors").get(0).asText())
        .isEqualTo(old);
  }

  @Test
  void givenUploadServedButConnectionDropped_whenRetried_thenStillOneFile() throws Exception {
    sandbox.platform().dropConnections("upload", 1);
    byte[] file = SeedParquet.file(PROFILE_SCHEMA, "d", 0, 2);
    String batchId = client.createBatch(PROFILES);

    boolean dropped;
    try {
      client.upload(batchId, PROFILES, "d.parquet", file);
      dropped = false;
    } catch (java.io.IOException e) {
      dropped = true;
    }
    client.upload(batchId, PROFILES, "d.parquet", file);

    assertThat(dropped).isTrue();
    assertThat(sandbox.platform().stats().batch(batchId).files())
        .containsExactly(new PlatformStats.FileSummary("d.parquet", file.length, 2));
  }

  @Test
  void givenCreateAnswerLost_whenCreatingBatch_thenBatchExistsLoadingButNoAnswerArrives()
      throws Exception {
    sandbox.platform().loseAnswers("create", 1);
    client.token();

    boolean lost;
    try {
      client.createBatch(PROFILES);
      lost = false;
    } catch (java.io.IOException e) {
      lost = true;
    }
    String next = client.createBatch(PROFILES);

    assertThat(lost).as("the connection closed without an answer").isTrue();
    List<String> created = sandbox.platform().stats().batchesCreated();
    assertThat(created).hasSize(2).endsWith(next);
    assertThat(sandbox.platform().stats().batch(created.get(0)).status()).isEqualTo("loading");
  }

  @Test
  void givenLoseAnswersOverHttp_whenCreatingBatch_thenServedWithoutAnswer() throws Exception {
    HttpResponse<String> knobs =
        client.send(
            client
                .bare("/sandbox/platform/knobs")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"loseAnswers\":{\"kind\":\"create\",\"count\":1}}")));
    client.token();

    assertThat(knobs.statusCode()).isEqualTo(204);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.createBatch(PROFILES))
        .isInstanceOf(java.io.IOException.class);
    assertThat(sandbox.platform().stats().batchesCreated()).hasSize(1);
  }

  @Test
  void givenControlEndpoint_whenSettingKnobsOverHttp_thenApplied() throws Exception {
    HttpResponse<String> knobs =
        client.send(
            client
                .bare("/sandbox/platform/knobs")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"reset\":true,\"failUploads\":{\"count\":1,\"status\":500}}")));
    HttpResponse<String> unknown =
        client.send(
            client
                .bare("/sandbox/platform/knobs")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"nope\":1}")));
    String batchId = client.createBatch(PROFILES);

    assertThat(knobs.statusCode()).isEqualTo(204);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(client.upload(batchId, PROFILES, "x.parquet", new byte[] {1}).statusCode())
        .isEqualTo(500);
    JsonNode stats = json(client.send(client.bare("/sandbox/platform/stats")));
    assertThat(stats.get("batchesCreated").get(0).asText()).isEqualTo(batchId);
  }
}
