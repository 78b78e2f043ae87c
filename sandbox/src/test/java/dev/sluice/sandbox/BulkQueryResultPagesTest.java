package dev.sluice.sandbox;

import static dev.sluice.sandbox.SandboxClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BulkQueryResultPagesTest {

  private static final int ROWS = 1300;
  private static final String SOQL = "SELECT Id, LastName FROM Contact";
  private static final String V62 = "/services/data/v62.0/jobs/query/";

  private static SandboxServer sandbox;
  private static SandboxClient client;
  private String token;

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.start(SandboxConfig.defaults().withContactRecords(ROWS));
    client = new SandboxClient(sandbox.baseUrl());
  }

  @AfterAll
  static void stop() {
    sandbox.close();
  }

  @BeforeEach
  void reset() throws Exception {
    sandbox.salesforce().reset();
    sandbox.salesforce().defaultMaxRecords(100);
    token = client.token();
  }

  @Test
  void givenCompleteJob_whenFollowingResultPages_thenFiveUrlsASetAndEveryRowOnceInParallel()
      throws Exception {
    String jobId = client.createJobId(token, SOQL);
    client.awaitComplete(token, jobId);
    sandbox.salesforce().pageDelay(Duration.ofMillis(300));

    List<String> urls = new ArrayList<>();
    List<Integer> setSizes = new ArrayList<>();
    String next = V62 + jobId + "/resultPages";
    while (next != null) {
      JsonNode set = get(next);
      set.get("resultPages").forEach(page -> urls.add(page.get("resultUrl").asText()));
      setSizes.add(set.get("resultPages").size());
      assertThat(set.get("done").asBoolean()).isEqualTo(set.get("nextRecordsUrl").isNull());
      next = set.get("nextRecordsUrl").isNull() ? null : set.get("nextRecordsUrl").asText();
    }
    List<String> ids = downloadAll(urls);

    assertThat(setSizes).containsExactly(5, 5, 3);
    assertThat(urls).allMatch(u -> u.startsWith(V62 + jobId + "/results?locator="));
    assertThat(ids).hasSize(ROWS).doesNotHaveDuplicates();
    assertThat(sandbox.salesforce().stats().maxInFlight().get("results")).isGreaterThan(1);
  }

  @Test
  void givenApiVersionBefore58_whenAskingResultPages_thenNotFound() throws Exception {
    String jobId = client.createJobId(token, SOQL);
    client.awaitComplete(token, jobId);

    HttpResponse<String> response =
        client.send(
            client
                .request("/services/data/v57.0/jobs/query/" + jobId + "/resultPages")
                .header("Authorization", "Bearer " + token));

    assertThat(response.statusCode()).isEqualTo(404);
  }

  @Test
  void givenOtherApiVersionThanTheJobs_whenAskingResultPages_thenConflict() throws Exception {
    String jobId = client.createJobId(token, SOQL);
    client.awaitComplete(token, jobId);

    HttpResponse<String> response =
        client.send(
            client
                .request("/services/data/v60.0/jobs/query/" + jobId + "/resultPages")
                .header("Authorization", "Bearer " + token));

    assertThat(response.statusCode()).isEqualTo(409);
  }

  @Test
  void givenUnfinishedJob_whenAskingResultPages_thenPreconditionFailed() throws Exception {
    String jobId = client.createJobId(token, SOQL);

    HttpResponse<String> response =
        client.send(
            client
                .request(V62 + jobId + "/resultPages")
                .header("Authorization", "Bearer " + token));

    assertThat(response.statusCode()).isEqualTo(412);
    assertThat(json(response).get(0).get("errorCode").asText()).isEqualTo("JOB_NOT_COMPLETE");
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> response =
        client.send(client.request(path).header("Authorization", "Bearer " + token));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  /**
   * Downloads every URL at once and returns the Contact IDs (first column), header lines dropped.
   */
  private List<String> downloadAll(List<String> urls) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(5);
    try {
      List<Future<HttpResponse<String>>> pages = new ArrayList<>();
      for (String url : urls) {
        pages.add(
            pool.submit(
                () -> client.send(client.request(url).header("Authorization", "Bearer " + token))));
      }
      List<String> ids = new ArrayList<>();
      for (Future<HttpResponse<String>> page : pages) {
        HttpResponse<String> response = page.get();
        assertThat(response.statusCode()).isEqualTo(200);
        response.body().lines().skip(1).forEach(line -> ids.add(line.split(",")[0]));
      }
      return ids;
    } finally {
      pool.shutdownNow();
    }
  }
}
