package dev.sluice.sandbox;

import static dev.sluice.sandbox.SandboxClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpApiReportsTest {

  private static final long SEED = 42;
  private static final String REPORTS = "/reports/2021-06-30/reports";
  private static final String START = "2026-11-01T00:00:00Z";

  private static SandboxServer sandbox;
  private static SandboxClient client;
  private String token;

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.start(SandboxConfig.defaults().withSeed(SEED));
    client = new SandboxClient(sandbox.baseUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void reset() throws Exception {
    sandbox.spApi().reset();
    sandbox.spApi().rows(250);
    token = accessToken(SpApiEmulator.REFRESH_TOKEN);
  }

  @Test
  void givenWrongRefreshToken_whenAskingLwa_thenInvalidGrant() throws Exception {
    HttpResponse<String> response = lwa("Atzr|someone-else");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  void givenNoAccessToken_whenCreatingReport_thenForbiddenWithErrorList() throws Exception {
    HttpResponse<String> response = client.postJson(REPORTS, reportBody());

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(json(response).at("/errors/0/code").asText()).isEqualTo("Unauthorized");
    assertThat(sandbox.spApi().stats().unauthorized()).isEqualTo(1);
  }

  @Test
  void givenReport_whenPolled_thenQueuedInProgressDoneAndDocumentHoldsEveryLine() throws Exception {
    String reportId = createReport();
    assertThat(sandbox.spApi().stats().reportsInFlight()).isEqualTo(1);

    assertThat(status(reportId).get("processingStatus").asText()).isEqualTo("IN_QUEUE");
    assertThat(status(reportId).get("processingStatus").asText()).isEqualTo("IN_PROGRESS");
    JsonNode done = status(reportId);
    assertThat(done.get("processingStatus").asText()).isEqualTo("DONE");
    assertThat(done.get("dataStartTime").asText()).isEqualTo(START);
    JsonNode document = document(done.get("reportDocumentId").asText());

    assertThat(document.get("compressionAlgorithm").asText()).isEqualTo("GZIP");
    URI url = URI.create(document.get("url").asText());
    assertThat(url.getPort()).isNotEqualTo(URI.create(sandbox.baseUrl()).getPort());
    assertThat(url.getQuery()).contains("X-Amz-Expires=300", "X-Amz-Signature=");
    HttpResponse<byte[]> download = client.sendForBytes(client.request(url.toString()));
    assertThat(download.statusCode()).isEqualTo(200);
    List<String> lines = gunzipLines(download.body());
    List<String> expected = new ArrayList<>(List.of(SpApiReport.HEADER));
    for (int i = 0; i < 250; i++) {
      expected.add(SpApiReport.line(SEED, Instant.parse(START), i));
    }
    assertThat(lines).isEqualTo(expected);
    assertThat(sandbox.spApi().stats().reportsInFlight()).isZero();
    assertThat(sandbox.spApi().stats().credentialsSentToS3()).isZero();
  }

  @Test
  void givenAuthorizationHeader_whenDownloadingDocument_thenS3RefusesAndCountsIt()
      throws Exception {
    String url = finishedDocumentUrl();

    HttpResponse<String> response =
        client.send(client.request(url).header("Authorization", "Bearer " + token));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("<Code>InvalidArgument</Code>", "Only one auth mechanism");
    assertThat(sandbox.spApi().stats().credentialsSentToS3()).isEqualTo(1);
    assertThat(sandbox.spApi().stats().downloads()).isZero();
  }

  @Test
  void givenExpiredUrl_whenDownloading_thenAccessDeniedAndAFreshUrlResumesByRange()
      throws Exception {
    String documentId = finishedDocumentId();
    byte[] whole = client.sendForBytes(client.request(urlOf(documentId))).body();
    String stale = urlOf(documentId);

    sandbox.spApi().expireIssuedUrls();
    HttpResponse<String> refused = client.send(client.request(stale));
    HttpResponse<byte[]> rest =
        client.sendForBytes(client.request(urlOf(documentId)).header("Range", "bytes=100-"));

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("<Code>AccessDenied</Code>", "Request has expired");
    assertThat(rest.statusCode()).isEqualTo(206);
    assertThat(rest.headers().firstValue("Content-Range"))
        .hasValue("bytes 100-" + (whole.length - 1) + "/" + whole.length);
    byte[] resumed = new byte[whole.length];
    System.arraycopy(whole, 0, resumed, 0, 100);
    System.arraycopy(rest.body(), 0, resumed, 100, rest.body().length);
    assertThat(resumed).isEqualTo(whole);
    assertThat(sandbox.spApi().stats().expiredUrlRefusals()).isEqualTo(1);
  }

  @Test
  void givenOneSecondTtl_whenItPasses_thenUrlExpires() throws Exception {
    sandbox.spApi().urlTtl(Duration.ofSeconds(1));
    String url = finishedDocumentUrl();
    assertThat(url).contains("X-Amz-Expires=1&");

    Thread.sleep(2100);

    assertThat(client.send(client.request(url)).statusCode()).isEqualTo(403);
  }

  @Test
  void givenLongerExpiryWrittenIntoUrl_whenDownloading_thenSignatureDoesNotMatch()
      throws Exception {
    String url = finishedDocumentUrl().replace("X-Amz-Expires=300", "X-Amz-Expires=86400");

    HttpResponse<String> response = client.send(client.request(url));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("SignatureDoesNotMatch");
  }

  @Test
  void givenFatalOutcome_whenReportFinishes_thenFatalWithExplainingDocument() throws Exception {
    sandbox.spApi().outcome("FATAL");
    JsonNode report = finish(createReport());

    assertThat(report.get("processingStatus").asText()).isEqualTo("FATAL");
    String url = urlOf(report.get("reportDocumentId").asText());
    assertThat(
            new String(
                gunzip(client.sendForBytes(client.request(url)).body()), StandardCharsets.UTF_8))
        .contains("errorDetails");
  }

  @Test
  void givenCancelledOutcome_whenReportFinishes_thenNoDocument() throws Exception {
    sandbox.spApi().outcome("CANCELLED");
    JsonNode report = finish(createReport());

    assertThat(report.get("processingStatus").asText()).isEqualTo("CANCELLED");
    assertThat(report.has("reportDocumentId")).isFalse();
  }

  @Test
  void givenQueuedReport_whenCancelled_thenCancelledAndNoLongerInFlight() throws Exception {
    String reportId = createReport();

    HttpResponse<String> cancel =
        client.send(
            client.request(REPORTS + "/" + reportId).header("x-amz-access-token", token).DELETE());

    assertThat(cancel.statusCode()).isEqualTo(200);
    assertThat(status(reportId).get("processingStatus").asText()).isEqualTo("CANCELLED");
    assertThat(sandbox.spApi().stats().reportsInFlight()).isZero();
    assertThat(sandbox.spApi().stats().cancels()).isEqualTo(1);
  }

  private String accessToken(String refreshToken) throws Exception {
    HttpResponse<String> response = lwa(refreshToken);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = json(response);
    assertThat(body.get("token_type").asText()).isEqualTo("bearer");
    assertThat(body.get("expires_in").asLong()).isEqualTo(3600);
    return body.get("access_token").asText();
  }

  private HttpResponse<String> lwa(String refreshToken) throws Exception {
    return client.postForm(
        "/auth/o2/token",
        "grant_type=refresh_token&refresh_token="
            + java.net.URLEncoder.encode(refreshToken, StandardCharsets.UTF_8)
            + "&client_id="
            + SpApiEmulator.CLIENT_ID
            + "&client_secret="
            + SpApiEmulator.CLIENT_SECRET);
  }

  private static String reportBody() {
    return "{\"reportType\":\"GET_FLAT_FILE_ALL_ORDERS_DATA_BY_ORDER_DATE_GENERAL\","
        + "\"marketplaceIds\":[\"ATVPDKIKX0DER\"],\"dataStartTime\":\""
        + START
        + "\",\"dataEndTime\":\"2026-11-02T00:00:00Z\"}";
  }

  private String createReport() throws Exception {
    HttpResponse<String> response =
        client.send(
            client
                .request(REPORTS)
                .header("x-amz-access-token", token)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(reportBody())));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return json(response).get("reportId").asText();
  }

  private JsonNode status(String reportId) throws Exception {
    HttpResponse<String> response =
        client.send(client.request(REPORTS + "/" + reportId).header("x-amz-access-token", token));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private JsonNode finish(String reportId) throws Exception {
    for (int i = 0; i < 10; i++) {
      JsonNode report = status(reportId);
      if (!report.get("processingStatus").asText().startsWith("IN_")) {
        return report;
      }
    }
    throw new AssertionError("report " + reportId + " never finished");
  }

  private JsonNode document(String documentId) throws Exception {
    HttpResponse<String> response =
        client.send(
            client
                .request("/reports/2021-06-30/documents/" + documentId)
                .header("x-amz-access-token", token));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private String urlOf(String documentId) throws Exception {
    return document(documentId).get("url").asText();
  }

  private String finishedDocumentId() throws Exception {
    return finish(createReport()).get("reportDocumentId").asText();
  }

  private String finishedDocumentUrl() throws Exception {
    return urlOf(finishedDocumentId());
  }

  private static byte[] gunzip(byte[] gzip) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzip))) {
      return in.readAllBytes();
    }
  }

  private static List<String> gunzipLines(byte[] gzip) throws IOException {
    return new String(gunzip(gzip), StandardCharsets.UTF_8).lines().toList();
  }
}
