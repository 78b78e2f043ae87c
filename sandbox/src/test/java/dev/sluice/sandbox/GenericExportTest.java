package dev.sluice.sandbox;

import static dev.sluice.sandbox.SandboxClient.MAPPER;
import static dev.sluice.sandbox.SandboxClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GenericExportTest {

  private static final long SEED = 7;
  private static final int RECORDS = 25;
  private static final Pattern REQUEST_ID = Pattern.compile("/syncs/([0-9]+)$");

  private static SandboxServer sandbox;
  private static SandboxClient client;

  @BeforeAll
  static void start() {
    sandbox =
        SandboxServer.start(SandboxConfig.defaults().withSeed(SEED).withEventRecords(RECORDS));
    client = new SandboxClient(sandbox.baseUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.generic().reset();
  }

  @Test
  void givenNoApiKey_whenCreatingExport_thenUnauthorized() throws Exception {
    HttpResponse<String> response = client.postJson("/generic/exports", "{\"dataset\":\"events\"}");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(json(response).get("error").asText()).isEqualTo("invalid api key");
  }

  @Test
  void givenExport_whenPolled_thenQueuedThenRunningThenReady() throws Exception {
    sandbox.generic().pollsBeforeReady(3);
    HttpResponse<String> created = create("{\"dataset\":\"events\"}", null);
    String uri = json(created).get("uri").asText();

    List<String> statuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      statuses.add(json(client.send(authorized(uri))).get("status").asText());
    }

    assertThat(created.statusCode()).isEqualTo(202);
    assertThat(json(created).get("status").asText()).isEqualTo("queued");
    assertThat(REQUEST_ID.matcher(uri).find()).isTrue();
    assertThat(statuses).containsExactly("running", "running", "ready");
  }

  @Test
  void givenSameIdempotencyKey_whenCreatingTwice_thenSameExport() throws Exception {
    String first = json(create("{\"dataset\":\"events\"}", "key-1")).get("uri").asText();
    String second = json(create("{\"dataset\":\"events\"}", "key-1")).get("uri").asText();
    String other = json(create("{\"dataset\":\"events\"}", "key-2")).get("uri").asText();

    assertThat(second).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
    assertThat(sandbox.generic().stats().exports()).hasSize(2);
  }

  @Test
  void givenCreateAnswerLost_whenCreatedAgainWithSameKey_thenTheExportTheLostAnswerNamed()
      throws Exception {
    sandbox.generic().loseAnswers("export-create", 1);

    assertThatThrownBy(() -> create("{\"dataset\":\"events\"}", "key-1"))
        .isInstanceOf(IOException.class);
    List<GenericStats.ExportSummary> afterLoss = sandbox.generic().stats().exports();
    String retried = json(create("{\"dataset\":\"events\"}", "key-1")).get("uri").asText();

    assertThat(afterLoss).as("the create was served").hasSize(1);
    assertThat(retried).endsWith("/syncs/" + afterLoss.get(0).id());
    assertThat(sandbox.generic().stats().exports()).hasSize(1);
  }

  @Test
  void givenExportNotReady_whenDownloading_thenConflict() throws Exception {
    String id = requestId(create("{\"dataset\":\"events\"}", null));

    assertThat(client.send(authorized("/generic/syncs/" + id + "/data")).statusCode())
        .isEqualTo(409);
  }

  @Test
  void givenNextUrlPagination_whenFollowingLinks_thenEveryRecordOnce() throws Exception {
    String next = dataPath(readyExport("json", "next-url", 10));
    ArrayNode served = MAPPER.createArrayNode();
    int pages = 0;
    while (next != null) {
      JsonNode page = json(client.send(authorized(next)));
      served.addAll((ArrayNode) page.get("data"));
      next = page.get("links").get("next").isNull() ? null : page.get("links").get("next").asText();
      pages++;
    }

    assertThat(pages).isEqualTo(3);
    assertThat(served).isEqualTo(expectedJson());
  }

  @Test
  void givenCursorPagination_whenFollowingCursors_thenEveryRecordOnce() throws Exception {
    String data = dataPath(readyExport("json", "cursor", 10));
    ArrayNode served = MAPPER.createArrayNode();
    String cursor = null;
    do {
      JsonNode page =
          json(client.send(authorized(data + (cursor == null ? "" : "?cursor=" + cursor))));
      served.addAll((ArrayNode) page.get("result").get("items"));
      cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
    } while (cursor != null);

    assertThat(served).isEqualTo(expectedJson());
  }

  @Test
  void givenPagePagination_whenPagingPastTheEnd_thenEveryRecordOnceThenEmptyArray()
      throws Exception {
    String data = dataPath(readyExport("json", "page", 10));
    ArrayNode served = MAPPER.createArrayNode();
    for (int page = 1; page <= 3; page++) {
      served.addAll(
          (ArrayNode) json(client.send(authorized(data + "?page=" + page + "&per_page=10"))));
    }

    JsonNode pastEnd = json(client.send(authorized(data + "?page=4&per_page=10")));

    assertThat(served).isEqualTo(expectedJson());
    assertThat(pastEnd.isArray()).isTrue();
    assertThat(pastEnd).isEmpty();
  }

  @Test
  void givenOffsetPaginationAsJson_whenPaging_thenRecordsEnvelopes() throws Exception {
    String data = dataPath(readyExport("json", "offset", 10));
    ArrayNode served = MAPPER.createArrayNode();
    for (int offset = 0; offset < RECORDS; offset += 10) {
      served.addAll(
          (ArrayNode)
              json(client.send(authorized(data + "?offset=" + offset + "&limit=10")))
                  .get("records"));
    }

    assertThat(served).isEqualTo(expectedJson());
  }

  @Test
  void givenOffsetPaginationAsNdjson_whenPaging_thenOneRecordPerLine() throws Exception {
    String data = dataPath(readyExport("ndjson", "offset", 10));
    ArrayNode served = MAPPER.createArrayNode();
    for (int offset = 0; offset < RECORDS; offset += 10) {
      String body = client.send(authorized(data + "?offset=" + offset + "&limit=10")).body();
      for (String line : body.split("\n")) {
        served.add(MAPPER.readTree(line));
      }
    }

    assertThat(served).isEqualTo(expectedJson());
  }

  @Test
  void givenCsvFormat_whenPagingByOffset_thenEachPageHasHeaderAndRowsInOrder() throws Exception {
    String data = dataPath(readyExport("csv", "offset", 10));
    List<List<String>> served = new ArrayList<>();
    for (int offset = 0; offset < RECORDS; offset += 10) {
      List<List<String>> page =
          CsvReader.read(client.send(authorized(data + "?offset=" + offset + "&limit=10")).body());
      assertThat(page.get(0)).isEqualTo(GenericData.FIELDS);
      served.addAll(page.subList(1, page.size()));
    }

    assertThat(served).isEqualTo(expectedCsvRows());
  }

  @Test
  void givenNoPagination_whenDownloading_thenEverythingAtOnce() throws Exception {
    String data = dataPath(readyExport("json", "none", 10));

    assertThat(json(client.send(authorized(data)))).isEqualTo(expectedJson());
  }

  @Test
  void givenGzipParameter_whenDownloading_thenGzipFileWithoutContentEncoding() throws Exception {
    String data = dataPath(readyExport("csv", "none", 10));

    HttpResponse<byte[]> response = client.sendForBytes(authorized(data + "?gzip=true"));

    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/gzip");
    assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
    List<List<String>> rows = CsvReader.read(gunzip(response.body()));
    assertThat(rows.subList(1, rows.size())).isEqualTo(expectedCsvRows());
  }

  @Test
  void givenAcceptEncodingGzip_whenDownloading_thenGzipContentEncoding() throws Exception {
    String data = dataPath(readyExport("json", "none", 10));

    HttpResponse<byte[]> response =
        client.sendForBytes(authorized(data).header("Accept-Encoding", "gzip"));

    assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(MAPPER.readTree(gunzip(response.body()))).isEqualTo(expectedJson());
  }

  @Test
  void givenMalformedKnob_whenDownloadingJson_thenBodyDoesNotParse() throws Exception {
    String data = dataPath(readyExport("json", "offset", 10));
    sandbox.generic().malformed(true);

    String body = client.send(authorized(data)).body();

    assertThatThrownBy(() -> MAPPER.readTree(body)).isInstanceOf(JsonProcessingException.class);
  }

  @Test
  void givenMalformedKnob_whenDownloadingCsv_thenUnterminatedQuote() throws Exception {
    String data = dataPath(readyExport("csv", "offset", 10));
    sandbox.generic().malformed(true);

    String body = client.send(authorized(data)).body();

    assertThatThrownBy(() -> CsvReader.read(body)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenBadPagesKnobFromThirdPage_whenPaging_thenTwoGoodPagesThenEmpty200Bodies()
      throws Exception {
    String data = dataPath(readyExport("csv", "offset", 10));
    client.postJson("/sandbox/generic/knobs", "{\"badPages\": {\"kind\": \"empty\", \"from\": 3}}");

    List<HttpResponse<String>> pages = new ArrayList<>();
    for (int offset = 0; offset < 40; offset += 10) {
      pages.add(client.send(authorized(data + "?offset=" + offset + "&limit=10")));
    }

    assertThat(pages).allSatisfy(page -> assertThat(page.statusCode()).isEqualTo(200));
    assertThat(CsvReader.read(pages.get(1).body())).hasSize(11);
    assertThat(pages.get(2).body()).isEmpty();
    assertThat(pages.get(2).headers().firstValue("Content-Type"))
        .hasValue("text/csv;charset=UTF-8");
    assertThat(pages.get(3).body()).isEmpty();
  }

  @Test
  void givenHtmlBadPages_whenDownloading_thenHtmlErrorPageWith200() throws Exception {
    String data = dataPath(readyExport("csv", "offset", 10));
    sandbox.generic().badPages("html", 1);

    HttpResponse<String> page = client.send(authorized(data));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=UTF-8");
    assertThat(page.body()).startsWith("<html>").contains("502 Bad Gateway");
  }

  @Test
  void givenUnknownBadPageKind_whenPosted_thenBadRequest() throws Exception {
    HttpResponse<String> response =
        client.postJson("/sandbox/generic/knobs", "{\"badPages\": {\"kind\": \"xml\"}}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("html or empty");
  }

  @Test
  void givenBrokenCsvBadPages_whenDownloading_thenSecondRecordBrokenEachItsWay() throws Exception {
    String data = dataPath(readyExport("json", "offset", 10));

    sandbox.generic().badPages("invalid-utf8", 1);
    byte[] invalid = client.sendForBytes(authorized(data)).body();
    sandbox.generic().badPages("short-record", 1);
    String shortRecord = client.send(authorized(data)).body();
    sandbox.generic().badPages("oversized-field", 1);
    HttpResponse<String> oversized = client.send(authorized(data));

    String header = String.join(",", GenericData.FIELDS);
    assertThat(new String(invalid, java.nio.charset.StandardCharsets.ISO_8859_1))
        .startsWith(header + "\n1,")
        .contains("\u00c3(");
    assertThat(shortRecord.lines().toList()).hasSize(3).endsWith("2,short");
    assertThat(oversized.headers().firstValue("Content-Type")).hasValue("text/csv;charset=UTF-8");
    assertThat(oversized.body().lines().toList().get(2)).hasSizeGreaterThan(256 * 1024);
  }

  @Test
  void givenExport_whenDeleted_then204AndCounted() throws Exception {
    String id = readyExport("json", "none", 10);

    HttpResponse<String> deleted = client.send(authorized("/generic/syncs/" + id).DELETE());
    HttpResponse<String> unknown = client.send(authorized("/generic/syncs/999999").DELETE());

    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(sandbox.generic().stats().requests("export-delete")).isEqualTo(2);
  }

  @Test
  void givenDataThrottled_whenDownloading_then429WithRetryAfter() throws Exception {
    String data = dataPath(readyExport("json", "none", 10));
    sandbox.generic().throttle("export-data", 1, 429, 4);

    HttpResponse<String> response = client.send(authorized(data));

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("4");
    assertThat(client.send(authorized(data)).statusCode()).isEqualTo(200);
  }

  @Test
  void givenLoopBackAfterPage3_whenFollowingCursors_thenPage3PointsBackToPage2() throws Exception {
    String data = dataPath(readyExport("json", "cursor", 5));
    sandbox.generic().loopBackAfterPage(3);

    String second = json(client.send(authorized(data))).get("next_cursor").asText();
    String third =
        json(client.send(authorized(data + "?cursor=" + second))).get("next_cursor").asText();
    String afterThird =
        json(client.send(authorized(data + "?cursor=" + third))).get("next_cursor").asText();

    assertThat(afterThird).isEqualTo(second);
  }

  @Test
  void givenIgnorePageParameter_whenAskingForPage2_thenTheFirstPageComesAgain() throws Exception {
    String data = dataPath(readyExport("json", "page", 10));
    sandbox.generic().ignorePageParameter(true);

    String first = client.send(authorized(data + "?page=1")).body();
    String second = client.send(authorized(data + "?page=2")).body();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void givenTruncatedGzip_whenDownloading_thenTheAnswerIsCompleteButDoesNotGunzip()
      throws Exception {
    String data = dataPath(readyExport("csv", "none", 10));
    sandbox.generic().truncatedGzip(true);

    HttpResponse<byte[]> response = client.sendForBytes(authorized(data + "?gzip=true"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> gunzip(response.body())).isInstanceOf(IOException.class);
  }

  @Test
  void givenRedirectLoop_whenDownloading_thenRedirectedToItself() throws Exception {
    String data = dataPath(readyExport("json", "offset", 10));
    sandbox.generic().redirectLoop(true);

    HttpResponse<String> response = client.send(authorized(data + "?offset=10"));

    assertThat(response.statusCode()).isEqualTo(302);
    assertThat(response.headers().firstValue("Location")).hasValue(data + "?offset=10");
  }

  @Test
  void givenCsvWithCursorPagination_whenCreating_thenBadRequest() throws Exception {
    HttpResponse<String> response =
        create("{\"dataset\":\"events\",\"format\":\"csv\",\"pagination\":\"cursor\"}", null);

    assertThat(response.statusCode()).isEqualTo(400);
  }

  private String readyExport(String format, String pagination, int pageSize) throws Exception {
    sandbox.generic().pollsBeforeReady(1);
    String id =
        requestId(
            create(
                "{\"dataset\":\"events\",\"format\":\""
                    + format
                    + "\",\"pagination\":\""
                    + pagination
                    + "\",\"pageSize\":"
                    + pageSize
                    + "}",
                null));
    assertThat(json(client.send(authorized("/generic/syncs/" + id))).get("status").asText())
        .isEqualTo("ready");
    return id;
  }

  private HttpResponse<String> create(String body, String idempotencyKey) throws Exception {
    HttpRequest.Builder request =
        authorized("/generic/exports").POST(BodyPublishers.ofString(body));
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return client.send(request);
  }

  private static String requestId(HttpResponse<String> created) {
    Matcher m = REQUEST_ID.matcher(json(created).get("uri").asText());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static String dataPath(String id) {
    return "/generic/syncs/" + id + "/data";
  }

  private static HttpRequest.Builder authorized(String path) {
    return client.request(path).header("X-API-Key", "sandbox-key");
  }

  /** Expected records as a client parses them (written and read back, so number types match). */
  private static JsonNode expectedJson() throws Exception {
    return MAPPER.readTree(MAPPER.writeValueAsString(GenericData.rows(SEED, 0, RECORDS)));
  }

  private static List<List<String>> expectedCsvRows() {
    return GenericData.rows(SEED, 0, RECORDS).stream()
        .map(
            row ->
                GenericData.FIELDS.stream()
                    .map(f -> row.get(f) == null ? null : row.get(f).toString())
                    .toList())
        .toList();
  }

  private static String gunzip(byte[] body) throws Exception {
    return new String(
        new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes(), StandardCharsets.UTF_8);
  }
}
