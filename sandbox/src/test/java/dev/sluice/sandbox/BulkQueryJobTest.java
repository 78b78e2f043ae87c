package dev.sluice.sandbox;

import static dev.sluice.sandbox.SandboxClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BulkQueryJobTest {

  private static SandboxServer sandbox;
  private static SandboxClient client;
  private String token;

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.start(SandboxConfig.defaults().withContactRecords(10));
    client = new SandboxClient(sandbox.baseUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void resetAndAuthenticate() throws Exception {
    sandbox.salesforce().reset();
    token = client.token();
  }

  @Test
  void givenQuery_whenCreatingJob_thenDocumentedJobInfoInUploadComplete() throws Exception {
    JsonNode job = json(client.createJob(token, "SELECT Id, Email FROM Contact ORDER BY Id"));

    assertThat(job.get("id").asText()).startsWith("750").hasSize(18);
    assertThat(job.get("state").asText()).isEqualTo("UploadComplete");
    assertThat(job.get("object").asText()).isEqualTo("Contact");
    assertThat(job.get("operation").asText()).isEqualTo("query");
    assertThat(job.get("apiVersion").asDouble()).isEqualTo(62.0);
    assertThat(job.get("contentType").asText()).isEqualTo("CSV");
    assertThat(job.get("lineEnding").asText()).isEqualTo("LF");
    assertThat(job.get("columnDelimiter").asText()).isEqualTo("COMMA");
  }

  @Test
  void givenNewJob_whenPolling_thenUploadCompleteThenInProgressThenJobComplete() throws Exception {
    sandbox.salesforce().pollsBeforeReady(3);
    String jobId = client.createJobId(token, "SELECT Id FROM Contact");

    List<String> states =
        List.of(
            state(client.jobStatus(token, jobId)),
            state(client.jobStatus(token, jobId)),
            state(client.jobStatus(token, jobId)));

    assertThat(states).containsExactly("InProgress", "InProgress", "JobComplete");
    JsonNode done = json(client.jobStatus(token, jobId));
    assertThat(done.get("numberRecordsProcessed").asInt()).isEqualTo(10);
    assertThat(done.get("retries").asInt()).isZero();
    assertThat(done.has("totalProcessingTime")).isTrue();
    assertThat(sandbox.salesforce().stats().jobs())
        .singleElement()
        .satisfies(
            job -> {
              assertThat(job.id()).isEqualTo(jobId);
              assertThat(job.state()).isEqualTo("JobComplete");
              assertThat(job.readyAt()).isNotNull();
              assertThat(job.firstResultsAt()).as("no results fetched yet").isNull();
            });
  }

  @Test
  void givenReadyAfterDelay_whenPolledAfterIt_thenJobComplete() throws Exception {
    sandbox.salesforce().pollsBeforeReady(1000);
    sandbox.salesforce().readyAfter(Duration.ofMillis(200));
    String jobId = client.createJobId(token, "SELECT Id FROM Contact");
    assertThat(state(client.jobStatus(token, jobId))).isEqualTo("InProgress");

    Thread.sleep(250);

    assertThat(state(client.jobStatus(token, jobId))).isEqualTo("JobComplete");
  }

  @Test
  void givenReadyJitter_whenJobsCreatedTogether_thenEachTurnsReadyAtItsOwnTime() throws Exception {
    sandbox.salesforce().pollsBeforeReady(1000);
    sandbox.salesforce().readyAfter(Duration.ofMillis(100));
    sandbox.salesforce().readyJitter(Duration.ofHours(1));
    List<String> jobIds = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      jobIds.add(client.createJobId(token, "SELECT Id FROM Contact"));
    }

    Thread.sleep(250);

    long complete = 0;
    for (String jobId : jobIds) {
      if (state(client.jobStatus(token, jobId)).equals("JobComplete")) {
        complete++;
      }
    }
    // Without the jitter all 20 are complete after 100 ms; with it each waits its own part of
    // an hour on top.
    assertThat(complete).isLessThan(20);
  }

  @Test
  void givenFailJobsKnob_whenJobFinishes_thenFailedWithThatMessage() throws Exception {
    sandbox.salesforce().failJobs("QUERY_TIMEOUT: query took too long");
    String jobId = client.createJobId(token, "SELECT Id FROM Contact");

    client.jobStatus(token, jobId);
    JsonNode job = json(client.jobStatus(token, jobId));

    assertThat(job.get("state").asText()).isEqualTo("Failed");
    assertThat(job.get("errorMessage").asText()).isEqualTo("QUERY_TIMEOUT: query took too long");
  }

  @Test
  void givenUnknownField_whenCreatingJob_thenInvalidJobNamingTheField() throws Exception {
    HttpResponse<String> response = client.createJob(token, "SELECT Id, Shoe_Size__c FROM Contact");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get(0).get("errorCode").asText()).isEqualTo("INVALIDJOB");
    assertThat(json(response).get(0).get("message").asText())
        .contains("No such column 'Shoe_Size__c'");
  }

  @Test
  void givenUnknownObject_whenCreatingJob_thenInvalidJobNamingTheObject() throws Exception {
    HttpResponse<String> response = client.createJob(token, "SELECT Id FROM Opportunity");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get(0).get("message").asText())
        .contains("'Opportunity' is not supported");
  }

  @Test
  void givenMalformedJson_whenCreatingJob_thenJsonParserError() throws Exception {
    HttpResponse<String> response =
        client.send(
            client
                .request("/services/data/v58.0/jobs/query")
                .header("Authorization", "Bearer " + token)
                .POST(BodyPublishers.ofString("{\"operation\":")));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get(0).get("errorCode").asText()).isEqualTo("JSON_PARSER_ERROR");
  }

  @Test
  void givenUnknownJobId_whenPolling_thenNotFound() throws Exception {
    HttpResponse<String> response = client.jobStatus(token, "750000000000000AAA");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response).get(0).get("errorCode").asText()).isEqualTo("NOT_FOUND");
  }

  @Test
  void givenRunningJob_whenAborted_thenAbortedAndASecondAbortIsRejected() throws Exception {
    String jobId = client.createJobId(token, "SELECT Id FROM Contact");

    HttpResponse<String> aborted = abort(jobId);
    HttpResponse<String> again = abort(jobId);

    assertThat(aborted.statusCode()).isEqualTo(200);
    assertThat(state(aborted)).isEqualTo("Aborted");
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(json(again).get(0).get("errorCode").asText()).isEqualTo("INVALIDJOB");
    assertThat(state(client.jobStatus(token, jobId))).isEqualTo("Aborted");
    assertThat(sandbox.salesforce().stats().aborts()).isEqualTo(1);
  }

  @Test
  void givenCompletedJob_whenDeleted_thenNoContentAndGoneAfterwards() throws Exception {
    String jobId = client.createJobId(token, "SELECT Id FROM Contact");
    client.awaitComplete(token, jobId);

    HttpResponse<String> deleted = client.send(client.jobRequest(token, jobId).DELETE());

    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(client.jobStatus(token, jobId).statusCode()).isEqualTo(404);
    assertThat(sandbox.salesforce().stats().deletes()).isEqualTo(1);
  }

  private HttpResponse<String> abort(String jobId) throws Exception {
    return client.send(
        client
            .jobRequest(token, jobId)
            .header("Content-Type", "application/json")
            .method("PATCH", BodyPublishers.ofString("{\"state\":\"Aborted\"}")));
  }

  private static String state(HttpResponse<String> response) {
    return json(response).get("state").asText();
  }
}
