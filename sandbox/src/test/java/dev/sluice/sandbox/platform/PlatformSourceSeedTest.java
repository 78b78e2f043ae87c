package dev.sluice.sandbox.platform;

import static dev.sluice.sandbox.platform.PlatformClient.FOUNDATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.InputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batches seeded with chosen content and status, read back the way a source connector reads them
 * (Catalog, then Data Access), and the faults such a reader must ride out.
 */
class PlatformSourceSeedTest {
  private static SandboxServer sandbox;
  private static PlatformClient client;
  private static final String EVENTS = PlatformEmulator.SEEDED_EVENTS;

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

  HttpResponse<String> knobs(String json) throws Exception {
    return client.send(
        client
            .bare("/sandbox/platform/knobs")
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(json)));
  }

  @Test
  void givenContentSeededOverTheKnobs_whenReadThroughDataAccess_thenRowsTextAndBytesComeBack()
      throws Exception {
    HttpResponse<String> seeded =
        knobs(
            "{\"seedContentBatch\":{\"id\":\"src-1\",\"datasetId\":\""
                + EVENTS
                + "\",\"createdMillis\":5,\"files\":["
                + "{\"name\":\"e.parquet\",\"rows\":[{\"eventId\":\"e1\",\"value\":1.5,"
                + "\"timestamp\":\"2024-03-01T00:00:00Z\"},{\"eventId\":\"e2\"}]},"
                + "{\"name\":\"c.csv\",\"text\":\"a,b\\n1,2\\n\"},"
                + "{\"name\":\"raw.bin\",\"base64\":\"AAEC\"}]}}");
    assertThat(seeded.statusCode()).as(seeded.body()).isEqualTo(204);

    JsonNode files = client.get(FOUNDATION + "/export/batches/src-1/files").get("data");
    List<byte[]> contents = new ArrayList<>();
    for (JsonNode file : files) {
      JsonNode parts = client.get(file.get("_links").get("self").get("href").asText());
      String href = parts.get("data").get(0).get("_links").get("self").get("href").asText();
      contents.add(client.sendForBytes(client.authed(href).GET()).body());
    }

    assertThat(files).hasSize(3);
    try (ParquetFileReader reader = ParquetFileReader.open(input(contents.get(0)))) {
      assertThat(reader.getRecordCount()).isEqualTo(2);
    }
    assertThat(new String(contents.get(1), StandardCharsets.UTF_8)).isEqualTo("a,b\n1,2\n");
    assertThat(contents.get(2)).containsExactly(0, 1, 2);
    JsonNode batch = client.get(FOUNDATION + "/catalog/batches/src-1").get("src-1");
    assertThat(batch.get("status").asText()).isEqualTo("success");
    assertThat(batch.get("created").asLong()).isEqualTo(5);
  }

  @Test
  void givenADatasetFileOfThreeParts_whenListingItsPartsByOne_thenNextLinksWalkEveryPart()
      throws Exception {
    List<ContentBatchSeed.FileSeed> files = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      files.add(
          ContentBatchSeed.FileSeed.text("part-" + i + ".csv", "a\n" + i + "\n")
              .inDatasetFile("d"));
    }
    files.add(ContentBatchSeed.FileSeed.text("alone.csv", "a\n9\n"));
    sandbox
        .platform()
        .seedContentBatch(new ContentBatchSeed("src-2", EVENTS, 5, null, files, null));

    JsonNode datasetFiles = client.get(FOUNDATION + "/export/batches/src-2/files").get("data");
    List<String> names = new ArrayList<>();
    String next = datasetFiles.get(0).get("_links").get("self").get("href").asText() + "?limit=1";
    while (next != null) {
      JsonNode page = client.get(next);
      page.get("data").forEach(p -> names.add(p.get("name").asText()));
      next = page.path("_links").path("next").path("href").asText(null);
    }

    assertThat(datasetFiles).hasSize(2);
    assertThat(names).containsExactly("part-0.csv", "part-1.csv", "part-2.csv");
    JsonNode catalogFiles =
        client.get(FOUNDATION + "/catalog/dataSets/" + EVENTS + "/views/" + EVENTS + "-view/files");
    assertThat(catalogFiles.has("src-2-1")).isTrue();
    assertThat(catalogFiles.has("src-2-2")).isTrue();
  }

  @Test
  void givenABatchSeededProcessing_whenSettledToSuccess_thenItsFilesBecomeReadable()
      throws Exception {
    sandbox
        .platform()
        .seedContentBatch(
            new ContentBatchSeed(
                "src-3",
                EVENTS,
                5,
                "processing",
                List.of(ContentBatchSeed.FileSeed.text("a.csv", "a\n1\n")),
                null));
    // Status polls do not move a held batch on, however many.
    for (int i = 0; i < 3; i++) {
      client.get(FOUNDATION + "/catalog/batches/src-3");
    }
    assertThat(
            client.get(FOUNDATION + "/catalog/batches/src-3").get("src-3").get("status").asText())
        .isEqualTo("processing");
    assertThat(client.get(FOUNDATION + "/export/batches/src-3/files").get("data")).isEmpty();

    HttpResponse<String> settled =
        knobs("{\"settleBatch\":{\"batchId\":\"src-3\",\"status\":\"success\"}}");

    assertThat(settled.statusCode()).as(settled.body()).isEqualTo(204);
    assertThat(
            client.get(FOUNDATION + "/catalog/batches/src-3").get("src-3").get("status").asText())
        .isEqualTo("success");
    assertThat(client.get(FOUNDATION + "/export/batches/src-3/files").get("data")).hasSize(1);
  }

  @Test
  void givenAFailedSeed_whenReadFromTheCatalog_thenItsErrorsAreShown() throws Exception {
    sandbox
        .platform()
        .seedContentBatch(
            new ContentBatchSeed(
                "src-4",
                EVENTS,
                5,
                "failed",
                List.of(),
                List.of(new BatchError("200", "schema mismatch", null))));

    JsonNode batch = client.get(FOUNDATION + "/catalog/batches/src-4").get("src-4");

    assertThat(batch.get("status").asText()).isEqualTo("failed");
    assertThat(batch.get("errors").get(0).get("description").asText()).isEqualTo("schema mismatch");
  }

  @Test
  void givenA429Queued_whenListing_thenTooManyRequestsWithRetryAfterThenServed() throws Exception {
    HttpResponse<String> queued =
        knobs("{\"failRequests\":{\"kind\":\"list\",\"count\":1,\"status\":429}}");
    assertThat(queued.statusCode()).as(queued.body()).isEqualTo(204);

    HttpResponse<String> throttled =
        client.send(client.authed(FOUNDATION + "/catalog/batches?dataSet=" + EVENTS).GET());
    HttpResponse<String> served =
        client.send(client.authed(FOUNDATION + "/catalog/batches?dataSet=" + EVENTS).GET());

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(PlatformClient.json(throttled).get("title").asText()).isEqualTo("Too Many Requests");
    assertThat(served.statusCode()).isEqualTo(200);
  }

  @Test
  void givenARowNamingAnUnknownField_whenSeeding_thenRefusedWithTheFieldName() throws Exception {
    HttpResponse<String> refused =
        knobs(
            "{\"seedContentBatch\":{\"id\":\"src-5\",\"datasetId\":\""
                + EVENTS
                + "\",\"createdMillis\":5,\"files\":[{\"name\":\"e.parquet\","
                + "\"rows\":[{\"nope\":1}]}]}}");

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("nope");
  }

  private static InputFile input(byte[] bytes) {
    return InMemoryFiles.input(bytes);
  }
}
