package dev.sluice.sandbox.platform;

import static dev.sluice.sandbox.platform.PlatformClient.FOUNDATION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PlatformCatalogTest {

  private static final long FIRST = PlatformEmulator.SEEDED_EVENTS_FIRST_BATCH_MILLIS;
  private static final long HOUR = 3_600_000L;
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
  void givenFourDatasets_whenPagingByThree_thenTwoPagesInCreatedOrderThenEmpty() throws Exception {
    JsonNode first = client.get(FOUNDATION + "/catalog/dataSets?start=0&limit=3");
    JsonNode second = client.get(FOUNDATION + "/catalog/dataSets?start=3&limit=3");
    JsonNode third = client.get(FOUNDATION + "/catalog/dataSets?start=6&limit=3");

    assertThat(ids(first))
        .containsExactly(
            PlatformEmulator.SEEDED_PROFILES,
            PlatformEmulator.SEEDED_EVENTS,
            PlatformEmulator.SEEDED_LEGACY);
    assertThat(ids(second)).containsExactly(PlatformEmulator.SEEDED_CONTACTS);
    assertThat(third.size()).isZero();
    assertThat(
            first
                .get(PlatformEmulator.SEEDED_PROFILES)
                .get("fileDescription")
                .get("format")
                .asText())
        .isEqualTo("parquet");
  }

  @Test
  void givenDatasetWithSchema_whenFollowingSchemaLinkWithExpansion_thenFieldsInlinedWithXdmTypes()
      throws Exception {
    JsonNode dataset =
        client
            .get(FOUNDATION + "/catalog/dataSets/" + PlatformEmulator.SEEDED_EVENTS)
            .get(PlatformEmulator.SEEDED_EVENTS);
    String link = dataset.get("schema").asText();
    JsonNode expanded = client.get(FOUNDATION + "/catalog" + link.substring(1) + "?expansion=xdm");
    JsonNode unexpanded = client.get(FOUNDATION + "/catalog" + link.substring(1));

    assertThat(link).isEqualTo("@/xdms/context/experienceevent");
    assertThat(dataset.has("fields")).isFalse();
    assertThat(dataset.get("observableSchema").get("properties").has("eventType")).isTrue();
    assertThat(expanded.get("$id").asText())
        .isEqualTo("https://ns.adobe.com/xdm/context/experienceevent");
    assertThat(expanded.get("properties").get("timestamp").get("meta:xdmType").asText())
        .isEqualTo("date-time");
    assertThat(expanded.get("properties").get("value").get("type").asText()).isEqualTo("number");
    assertThat(unexpanded.has("properties")).isFalse();
    assertThat(unexpanded.get("allOf").get(0).get("$ref").asText())
        .endsWith("experienceevent-fields");
  }

  @Test
  void givenLegacyDataset_whenReading_thenOnlyDeprecatedFields() throws Exception {
    JsonNode legacy =
        client
            .get(FOUNDATION + "/catalog/dataSets/" + PlatformEmulator.SEEDED_LEGACY)
            .get(PlatformEmulator.SEEDED_LEGACY);

    assertThat(legacy.has("schema")).isFalse();
    assertThat(legacy.has("observableSchema")).isFalse();
    assertThat(legacy.get("fields").get(1).get("name").asText()).isEqualTo("age");
    assertThat(legacy.get("fields").get(1).get("type").asText()).isEqualTo("string");
  }

  @Test
  void givenHourlyBatches_whenListingWindowDescendingPaged_thenInclusiveWindowNewestFirst()
      throws Exception {
    String window =
        "/catalog/batches?dataSet="
            + PlatformEmulator.SEEDED_EVENTS
            + "&createdAfter="
            + (FIRST + HOUR)
            + "&createdBefore="
            + (FIRST + 3 * HOUR)
            + "&sort=desc:created&limit=2";

    JsonNode page1 = client.get(FOUNDATION + window + "&start=0");
    JsonNode page2 = client.get(FOUNDATION + window + "&start=2");

    List<Long> created = new ArrayList<>();
    page1.forEach(b -> created.add(b.get("created").asLong()));
    page2.forEach(b -> created.add(b.get("created").asLong()));
    assertThat(created).containsExactly(FIRST + 3 * HOUR, FIRST + 2 * HOUR, FIRST + HOUR);
    assertThat(page1.size()).isEqualTo(2);
    page1.forEach(b -> assertThat(b.get("status").asText()).isEqualTo("success"));
    page1.forEach(
        b ->
            assertThat(b.get("relatedObjects").get(0).get("id").asText())
                .isEqualTo(PlatformEmulator.SEEDED_EVENTS));
  }

  @Test
  void givenAscendingSortAndLimitOne_whenListing_thenOldestBatchOfAnyDataset() throws Exception {
    JsonNode oldest = client.get(FOUNDATION + "/catalog/batches?limit=1&sort=asc:created");
    JsonNode newest = client.get(FOUNDATION + "/catalog/batches?limit=1&sort=desc:created");

    assertThat(oldest.elements().next().get("created").asLong()).isEqualTo(FIRST - 24 * HOUR);
    assertThat(newest.elements().next().get("created").asLong()).isEqualTo(FIRST + 3 * HOUR);
  }

  @Test
  void givenSeededBatch_whenReadingThroughDataAccess_thenPagedFilesAndParquetContent()
      throws Exception {
    String batchId =
        client
            .get(
                FOUNDATION
                    + "/catalog/batches?dataSet="
                    + PlatformEmulator.SEEDED_EVENTS
                    + "&createdAfter="
                    + (FIRST + HOUR)
                    + "&createdBefore="
                    + (FIRST + HOUR))
            .fieldNames()
            .next();

    JsonNode page1 = client.get(FOUNDATION + "/export/batches/" + batchId + "/files?limit=1");
    JsonNode page2 = client.get(page1.get("_links").get("next").get("href").asText());
    JsonNode listing =
        client.get(page1.get("data").get(0).get("_links").get("self").get("href").asText());
    String contentUrl = listing.get("data").get(0).get("_links").get("self").get("href").asText();
    byte[] content = client.sendForBytes(client.authed(contentUrl)).body();

    assertThat(page1.get("_page").get("count").asInt()).isEqualTo(1);
    assertThat(page2.get("data").size()).isEqualTo(1);
    assertThat(page2.has("_links")).isFalse();
    assertThat(listing.get("data").get(0).get("name").asText()).isEqualTo("part-00000.parquet");
    assertThat(listing.get("data").get(0).get("length").asLong()).isEqualTo(content.length);
    assertThat(new String(content, 0, 4, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("PAR1");
    DatasetSeed events = DefaultSeeds.datasets().get(1);
    assertThat(ParquetCheck.check(events, "x", content).rows()).isEqualTo(20);
  }

  private static List<String> ids(JsonNode keyed) {
    List<String> ids = new ArrayList<>();
    keyed.fieldNames().forEachRemaining(ids::add);
    return ids;
  }
}
