package dev.sluice.sandbox;

import static dev.sluice.sandbox.SandboxClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SalesforceAuthTest {

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
  }

  @Test
  void givenSandboxCredentials_whenRequestingToken_thenBearerTokenForThisInstanceWithoutExpiry()
      throws Exception {
    HttpResponse<String> response =
        client.postForm(
            "/services/oauth2/token",
            "grant_type=client_credentials&client_id=sluice-sandbox-client&client_secret=sluice-sandbox-secret");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode token = json(response);
    assertThat(token.get("access_token").asText()).isNotBlank();
    assertThat(token.get("instance_url").asText()).isEqualTo(sandbox.baseUrl());
    assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(token.get("issued_at").asText()).matches("[0-9]+");
    assertThat(token.has("signature")).isTrue();
    assertThat(token.has("expires_in")).isFalse();
    assertThat(sandbox.salesforce().stats().tokenGrants()).isEqualTo(1);
  }

  @Test
  void givenWrongSecret_whenRequestingToken_thenInvalidClient() throws Exception {
    HttpResponse<String> response =
        client.postForm(
            "/services/oauth2/token",
            "grant_type=client_credentials&client_id=sluice-sandbox-client&client_secret=nope");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").asText()).isEqualTo("invalid_client");
  }

  @Test
  void givenPasswordGrant_whenRequestingToken_thenUnsupportedGrantType() throws Exception {
    HttpResponse<String> response =
        client.postForm("/services/oauth2/token", "grant_type=password");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("error").asText()).isEqualTo("unsupported_grant_type");
  }

  @Test
  void givenUnknownToken_whenCreatingJob_thenInvalidSessionId() throws Exception {
    HttpResponse<String> response = client.createJob("made-up", "SELECT Id FROM Contact");

    assertInvalidSession(response);
    assertThat(sandbox.salesforce().stats().unauthorizedResponses()).isEqualTo(1);
  }

  @Test
  void givenRevokedTokens_whenPolling_thenInvalidSessionId() throws Exception {
    String token = client.token();
    String jobId = client.createJobId(token, "SELECT Id FROM Contact");

    sandbox.salesforce().revokeTokens();

    assertInvalidSession(client.jobStatus(token, jobId));
  }

  @Test
  void givenTokenOutlivedTtl_whenPolling_thenInvalidSessionId() throws Exception {
    String token = client.token();
    String jobId = client.createJobId(token, "SELECT Id FROM Contact");

    sandbox.salesforce().tokenTtl(Duration.ZERO);

    assertInvalidSession(client.jobStatus(token, jobId));
  }

  private static void assertInvalidSession(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(401);
    JsonNode error = json(response).get(0);
    assertThat(error.get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
    assertThat(error.get("message").asText()).isEqualTo("Session expired or invalid");
  }
}
