package dev.sluice.sandbox.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/**
 * A test client over java.net.http that sends the platform's headers; independent of activities/.
 */
final class PlatformClient {

  static final ObjectMapper MAPPER = new ObjectMapper();
  static final String FOUNDATION = "/data/foundation";

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String baseUrl;
  private final PlatformCredentials credentials = PlatformCredentials.defaults();
  private String token;

  PlatformClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  HttpRequest.Builder bare(String pathOrUrl) {
    return HttpRequest.newBuilder(
            URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl))
        .timeout(Duration.ofSeconds(10));
  }

  /** A request with every header a data call needs. */
  HttpRequest.Builder authed(String pathOrUrl) throws IOException, InterruptedException {
    return bare(pathOrUrl)
        .header("Authorization", "Bearer " + token())
        .header("x-api-key", credentials.clientId())
        .header("x-gw-ims-org-id", credentials.imsOrg())
        .header("x-sandbox-name", credentials.sandboxName());
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), BodyHandlers.ofString());
  }

  HttpResponse<byte[]> sendForBytes(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(request.build(), BodyHandlers.ofByteArray());
  }

  HttpResponse<String> postForm(String path, String form) throws IOException, InterruptedException {
    return send(
        bare(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(BodyPublishers.ofString(form)));
  }

  String token() throws IOException, InterruptedException {
    if (token == null) {
      HttpResponse<String> response =
          postForm(
              "/ims/token/v3",
              "grant_type=client_credentials&client_id="
                  + credentials.clientId()
                  + "&client_secret="
                  + credentials.clientSecret()
                  + "&scope=openid,AdobeID");
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      token = json(response).get("access_token").asText();
    }
    return token;
  }

  void forgetToken() {
    token = null;
  }

  JsonNode get(String pathOrUrl) throws IOException, InterruptedException {
    HttpResponse<String> response = send(authed(pathOrUrl).GET());
    assertThat(response.statusCode()).as(pathOrUrl + ": " + response.body()).isEqualTo(200);
    return json(response);
  }

  String createBatch(String datasetId) throws IOException, InterruptedException {
    return createBatchWith(
        "{\"datasetId\":\"" + datasetId + "\",\"inputFormat\":{\"format\":\"parquet\"}}");
  }

  String createBatchWith(String body) throws IOException, InterruptedException {
    HttpResponse<String> response =
        send(
            authed(FOUNDATION + "/import/batches")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return json(response).fieldNames().next();
  }

  HttpResponse<String> upload(String batchId, String datasetId, String name, byte[] bytes)
      throws IOException, InterruptedException {
    return send(
        authed(filePath(batchId, datasetId, name))
            .header("Content-Type", "application/octet-stream")
            .PUT(BodyPublishers.ofByteArray(bytes)));
  }

  /**
   * The large-file protocol: INITIALIZE, chunks of {@code chunkSize} (last first, to prove order
   * does not matter), COMPLETE.
   */
  HttpResponse<String> uploadInChunks(
      String batchId, String datasetId, String name, byte[] bytes, int chunkSize)
      throws IOException, InterruptedException {
    String path = filePath(batchId, datasetId, name);
    assertThat(send(authed(path + "?action=INITIALIZE").POST(BodyPublishers.noBody())).statusCode())
        .isEqualTo(201);
    for (int start = ((bytes.length - 1) / chunkSize) * chunkSize; start >= 0; start -= chunkSize) {
      int end = Math.min(bytes.length, start + chunkSize) - 1;
      HttpResponse<String> chunk =
          send(
              authed(path)
                  .header("Content-Type", "application/octet-stream")
                  .header("Content-Range", "bytes " + start + "-" + end + "/" + bytes.length)
                  .method("PATCH", slice(bytes, start, end)));
      assertThat(chunk.statusCode()).as(chunk.body()).isEqualTo(200);
    }
    return send(authed(path + "?action=COMPLETE").POST(BodyPublishers.noBody()));
  }

  HttpResponse<String> batchAction(String batchId, String action)
      throws IOException, InterruptedException {
    return send(
        authed(FOUNDATION + "/import/batches/" + batchId + "?action=" + action)
            .POST(BodyPublishers.noBody()));
  }

  JsonNode batch(String batchId) throws IOException, InterruptedException {
    return get(FOUNDATION + "/catalog/batches/" + batchId).get(batchId);
  }

  /** Polls until the batch leaves loading/processing; fails after a bounded number of polls. */
  JsonNode awaitFinal(String batchId) throws IOException, InterruptedException {
    for (int i = 0; i < 10; i++) {
      JsonNode batch = batch(batchId);
      String status = batch.get("status").asText();
      if (!status.equals("loading") && !status.equals("processing")) {
        return batch;
      }
    }
    throw new AssertionError("batch " + batchId + " never finished");
  }

  private static String filePath(String batchId, String datasetId, String name) {
    return FOUNDATION + "/import/batches/" + batchId + "/datasets/" + datasetId + "/files/" + name;
  }

  private static BodyPublisher slice(byte[] bytes, int start, int end) {
    return BodyPublishers.ofByteArray(bytes, start, end - start + 1);
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
