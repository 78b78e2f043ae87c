package dev.sluice.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The surveys a work-unit pipeline lists, their own rows, and a survey failing on purpose. */
class SurveysTest {
  private static SandboxServer sandbox;
  private static SandboxClient client;

  @BeforeAll
  static void start() {
    sandbox =
        SandboxServer.start(SandboxConfig.defaults().withEventRecords(3).withPollsBeforeReady(1));
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

  private static HttpRequest.Builder authorized(String path) {
    return client.request(path).header("X-API-Key", "sandbox-key");
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return SandboxClient.MAPPER.readTree(response.body());
  }

  /** Creates an export of {@code survey} and polls it once; returns its status document. */
  private static JsonNode exportOnce(String survey) throws Exception {
    String uri =
        json(client.send(
                authorized("/generic/exports")
                    .POST(
                        BodyPublishers.ofString(
                            "{\"dataset\":\"events\",\"survey\":\"" + survey + "\"}"))))
            .get("uri")
            .asText();
    return json(client.send(authorized(uri)));
  }

  @Test
  void givenSurveysKnob_whenListed_thenThatManyIdsInOrder() throws Exception {
    client.postJson("/sandbox/generic/knobs", "{\"surveys\":3}");

    JsonNode list = json(client.send(authorized("/generic/surveys")));

    assertThat(list.get("surveys").findValuesAsText("id"))
        .containsExactly("S-001", "S-002", "S-003");
  }

  @Test
  void givenNoApiKey_whenListed_thenUnauthorized() throws Exception {
    assertThat(client.send(client.request("/generic/surveys")).statusCode()).isEqualTo(401);
  }

  @Test
  void givenSurveyExport_whenReady_thenServesThatSurveysOwnRows() throws Exception {
    JsonNode status = exportOnce("S-003");
    JsonNode rows =
        json(client.send(authorized("/generic/syncs/" + status.get("id").asText() + "/data")));

    assertThat(status.get("status").asText()).isEqualTo("ready");
    assertThat(rows.findValuesAsText("id")).containsExactly("200001", "200002", "200003");
  }

  @Test
  void givenResponsesAdded_whenExportedAfterAWatermark_thenOnlyLaterRowsOfThatSurvey()
      throws Exception {
    client.postJson("/sandbox/generic/knobs", "{\"addResponses\":{\"survey\":\"S-003\",\"rows\":2}}");
    // Row 200001 (index 200000) was created 200000 minutes after the first row.
    String second =
        GenericData.FIRST_CREATED.plus(GenericData.STEP.multipliedBy(200_001)).toString();
    String uri =
        json(client.send(
                authorized("/generic/exports")
                    .POST(
                        BodyPublishers.ofString(
                            "{\"dataset\":\"events\",\"survey\":\"S-003\",\"after\":\""
                                + second
                                + "\"}"))))
            .get("uri")
            .asText();
    json(client.send(authorized(uri)));

    JsonNode rows = json(client.send(authorized(uri + "/data")));

    assertThat(rows.findValuesAsText("id")).containsExactly("200003", "200004", "200005");
    assertThat(sandbox.generic().surveys().added("S-003")).isEqualTo(2);
    assertThat(sandbox.generic().surveys().added("S-001")).isZero();
  }

  @Test
  void givenFailSurveyOnce_whenExportedTwice_thenFirstFailsAndSecondIsReady() throws Exception {
    client.postJson(
        "/sandbox/generic/knobs", "{\"failSurvey\":{\"survey\":\"S-002\",\"times\":1}}");

    JsonNode first = exportOnce("S-002");
    JsonNode other = exportOnce("S-001");
    JsonNode second = exportOnce("S-002");

    assertThat(first.get("status").asText()).isEqualTo("failed");
    assertThat(first.at("/error/message").asText()).contains("S-002");
    assertThat(other.get("status").asText()).isEqualTo("ready");
    assertThat(second.get("status").asText()).isEqualTo("ready");
  }

  @Test
  void givenUnknownSurvey_whenExported_thenBadRequestNamesIt() throws Exception {
    HttpResponse<String> response =
        client.send(
            authorized("/generic/exports")
                .POST(BodyPublishers.ofString("{\"dataset\":\"events\",\"survey\":\"S-404\"}")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("unknown survey 'S-404'");
  }
}
