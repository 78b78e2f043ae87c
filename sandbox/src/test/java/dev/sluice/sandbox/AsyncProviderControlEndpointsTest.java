package dev.sluice.sandbox;

import static dev.sluice.sandbox.SandboxClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AsyncProviderControlEndpointsTest {

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

  @Test
  void givenKnobsPosted_whenProvidersServe_thenTheyTakeEffect() throws Exception {
    assertThat(knobs("meta", "{\"reset\":true,\"maxDays\":2,\"pollsBeforeComplete\":1}"))
        .isEqualTo(204);
    assertThat(knobs("snowflake", "{\"reset\":true,\"result\":{\"rows\":10,\"partitions\":3}}"))
        .isEqualTo(204);
    assertThat(knobs("spapi", "{\"reset\":true,\"outcome\":\"FATAL\",\"urlTtlSeconds\":60}"))
        .isEqualTo(204);

    assertThat(sandbox.meta().maxDays()).isEqualTo(2);
    assertThat(sandbox.snowflake().results().partitions()).isEqualTo(3);
    assertThat(sandbox.spApi().processing().outcome()).isEqualTo(SpApiReport.Status.FATAL);
    assertThat(sandbox.spApi().urlTtl().toSeconds()).isEqualTo(60);
  }

  @Test
  void givenUnknownKnobOrBadValue_whenPosted_then400NamingIt() throws Exception {
    HttpResponse<String> unknown =
        client.postJson("/sandbox/snowflake/knobs", "{\"partitionz\":3}");
    HttpResponse<String> bad =
        client.postJson("/sandbox/spapi/knobs", "{\"outcome\":\"IN_QUEUE\"}");

    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).get("error").asText()).contains("partitionz");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json(bad).get("error").asText()).contains("outcome");
  }

  @Test
  void givenStatsAsked_whenServed_thenJsonOfEachProvider() throws Exception {
    sandbox.snowflake().reset();

    HttpResponse<String> stats = client.send(client.request("/sandbox/snowflake/stats"));

    assertThat(stats.statusCode()).isEqualTo(200);
    assertThat(json(stats).get("statementsSubmitted").asLong()).isZero();
    assertThat(client.send(client.request("/sandbox/spapi/stats")).statusCode()).isEqualTo(200);
    assertThat(client.send(client.request("/sandbox/meta/stats")).statusCode()).isEqualTo(200);
  }

  private static int knobs(String provider, String body) throws Exception {
    HttpResponse<String> response = client.postJson("/sandbox/" + provider + "/knobs", body);
    return response.statusCode();
  }
}
