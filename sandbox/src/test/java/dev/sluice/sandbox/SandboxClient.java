package dev.sluice.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/** A test client over java.net.http: the sandbox must be testable without the project's client. */
final class SandboxClient {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String JOBS = "/services/data/v62.0/jobs/query";

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String baseUrl;

  SandboxClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(
            URI.create(pathAndQuery.startsWith("http") ? pathAndQuery : baseUrl + pathAndQuery))
        .timeout(Duration.ofSeconds(10));
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
        request(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(BodyPublishers.ofString(form)));
  }

  HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(json)));
  }

  String token() throws IOException, InterruptedException {
    HttpResponse<String> response =
        postForm(
            "/services/oauth2/token",
            "grant_type=client_credentials&client_id=sluice-sandbox-client&client_secret=sluice-sandbox-secret");
    assertThat(response.statusCode()).isEqualTo(200);
    return json(response).get("access_token").asText();
  }

  HttpResponse<String> createJob(String token, String soql)
      throws IOException, InterruptedException {
    String body = MAPPER.createObjectNode().put("operation", "query").put("query", soql).toString();
    return send(
        request(JOBS)
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofString(body)));
  }

  String createJobId(String token, String soql) throws IOException, InterruptedException {
    HttpResponse<String> response = createJob(token, soql);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).get("id").asText();
  }

  HttpResponse<String> jobStatus(String token, String jobId)
      throws IOException, InterruptedException {
    return send(request(JOBS + "/" + jobId).header("Authorization", "Bearer " + token));
  }

  /** Polls until JobComplete; fails the test after a bounded number of polls. */
  void awaitComplete(String token, String jobId) throws IOException, InterruptedException {
    for (int i = 0; i < 20; i++) {
      if (json(jobStatus(token, jobId)).get("state").asText().equals("JobComplete")) {
        return;
      }
    }
    throw new AssertionError("job " + jobId + " never completed");
  }

  HttpResponse<String> results(String token, String jobId, String query)
      throws IOException, InterruptedException {
    return send(
        request(JOBS + "/" + jobId + "/results" + query)
            .header("Authorization", "Bearer " + token));
  }

  HttpRequest.Builder jobRequest(String token, String jobId) {
    return request(JOBS + "/" + jobId).header("Authorization", "Bearer " + token);
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
