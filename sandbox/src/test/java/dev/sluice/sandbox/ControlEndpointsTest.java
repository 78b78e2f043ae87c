package dev.sluice.sandbox;

import static dev.sluice.sandbox.SandboxClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControlEndpointsTest {

  private static SandboxServer sandbox;
  private static SandboxClient client;

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.start(SandboxConfig.defaults());
    client = new SandboxClient(sandbox.baseUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void reset() {
    sandbox.salesforce().reset();
    sandbox.generic().reset();
  }

  @Test
  void givenKnobsJson_whenPosted_thenAppliedInOrder() throws Exception {
    HttpResponse<String> response =
        client.postJson(
            "/sandbox/salesforce/knobs",
            """
{"addContacts": 5, "pollsBeforeReady": 1, "failJobs": "boom",
 "throttle": [{"kind": "create", "count": 1, "status": 503, "retryAfterSeconds": 3}]}""");
    String token = client.token();

    HttpResponse<String> throttled = client.createJob(token, "SELECT Id FROM Contact");
    String jobId = client.createJobId(token, "SELECT Id FROM Contact");
    JsonNode job = json(client.jobStatus(token, jobId));

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(sandbox.salesforce().contactCount()).isEqualTo(1005);
    assertThat(throttled.statusCode()).isEqualTo(503);
    assertThat(job.get("state").asText()).isEqualTo("Failed");
    assertThat(job.get("errorMessage").asText()).isEqualTo("boom");
  }

  @Test
  void givenUnknownKnob_whenPosted_thenBadRequestListingKnownKnobs() throws Exception {
    HttpResponse<String> response =
        client.postJson("/sandbox/salesforce/knobs", "{\"pollsBeforeReddy\": 1}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").asText())
        .contains("pollsBeforeReddy", "pollsBeforeReady");
  }

  @Test
  void givenInvalidKnobValue_whenPosted_thenBadRequest() throws Exception {
    HttpResponse<String> response =
        client.postJson(
            "/sandbox/salesforce/knobs",
            "{\"throttle\": {\"kind\": \"nope\", \"count\": 1, \"status\": 429,"
                + " \"retryAfterSeconds\": 1}}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").asText()).contains("nope");
  }

  @Test
  void givenActivity_whenReadingStats_thenCountsAndJobStatesReported() throws Exception {
    String token = client.token();
    String jobId = client.createJobId(token, "SELECT Id FROM Contact");
    client.jobStatus(token, jobId);
    client.createJob("bad-token", "SELECT Id FROM Contact");

    JsonNode stats = json(client.send(client.request("/sandbox/salesforce/stats")));

    assertThat(stats.get("tokenGrants").asLong()).isEqualTo(1);
    assertThat(stats.get("jobsCreated").asLong()).isEqualTo(1);
    assertThat(stats.get("statusPolls").asLong()).isEqualTo(1);
    assertThat(stats.get("unauthorizedResponses").asLong()).isEqualTo(1);
    assertThat(stats.get("jobs").get(0).get("id").asText()).isEqualTo(jobId);
    assertThat(stats.get("jobs").get(0).get("state").asText()).isEqualTo("InProgress");
  }

  @Test
  void givenGenericKnobs_whenPosted_thenExportsFailWithMessage() throws Exception {
    client.postJson("/sandbox/generic/knobs", "{\"pollsBeforeReady\": 1, \"fail\": \"disk full\"}");

    HttpResponse<String> created =
        client.send(
            client
                .request("/generic/exports")
                .header("X-API-Key", "sandbox-key")
                .POST(BodyPublishers.ofString("{\"dataset\":\"events\"}")));
    JsonNode status =
        json(
            client.send(
                client
                    .request(json(created).get("uri").asText())
                    .header("X-API-Key", "sandbox-key")));

    assertThat(status.get("status").asText()).isEqualTo("failed");
    assertThat(status.get("error").get("message").asText()).isEqualTo("disk full");
    assertThat(json(client.send(client.request("/sandbox/generic/stats"))).get("exports"))
        .hasSize(1);
  }
}
