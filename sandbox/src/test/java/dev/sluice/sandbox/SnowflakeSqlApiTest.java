package dev.sluice.sandbox;

import static dev.sluice.sandbox.SandboxClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest.BodyPublishers;
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

class SnowflakeSqlApiTest {

  private static final long SEED = 42;
  private static final String STATEMENTS = "/api/v2/statements";

  private static SandboxServer sandbox;
  private static SandboxClient client;

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
  void reset() {
    sandbox.snowflake().reset();
  }

  @Test
  void givenAsyncStatement_whenPolled_then202UntilDoneAnd200WithPartitionInfo() throws Exception {
    sandbox.snowflake().result(1000, 4);
    sandbox.snowflake().running(3, Duration.ZERO);

    HttpResponse<String> submitted = submit("req-1");
    String handle = json(submitted).get("statementHandle").asText();

    assertThat(submitted.statusCode()).isEqualTo(202);
    assertThat(json(submitted).get("statementStatusUrl").asText())
        .isEqualTo(STATEMENTS + "/" + handle);
    assertThat(sandbox.snowflake().stats().statementsRunning()).isEqualTo(1);
    assertThat(status(handle, "").statusCode()).isEqualTo(202);
    assertThat(json(status(handle, "")).get("code").asText()).isEqualTo("333334");
    HttpResponse<String> done = status(handle, "");
    assertThat(done.statusCode()).isEqualTo(200);
    JsonNode meta = json(done).get("resultSetMetaData");
    assertThat(meta.get("numRows").asInt()).isEqualTo(1000);
    assertThat(meta.get("format").asText()).isEqualTo("jsonv2");
    assertThat(meta.get("rowType")).hasSize(5);
    assertThat(meta.get("partitionInfo")).hasSize(4);
    assertThat(meta.at("/partitionInfo/0/rowCount").asInt()).isEqualTo(250);
    assertThat(meta.at("/partitionInfo/0/uncompressedSize").asLong())
        .isEqualTo(json(done).get("data").toString().getBytes().length);
    assertThat(json(done).get("data")).hasSize(250);
    assertThat(json(done).at("/data/0/0").asText()).isEqualTo("1");
    assertThat(sandbox.snowflake().stats().statementsRunning()).isZero();
  }

  @Test
  void givenDoneStatement_whenFetchingPartitionsInParallel_thenEveryRowOnceAndOverlapCounted()
      throws Exception {
    sandbox.snowflake().result(1000, 5);
    sandbox.snowflake().running(1, Duration.ZERO);
    sandbox.snowflake().partitionDelay(Duration.ofMillis(300));
    String handle = json(submit(null)).get("statementHandle").asText();
    JsonNode first = json(status(handle, ""));

    List<List<String>> rows = new ArrayList<>();
    first.get("data").forEach(r -> rows.add(values(r)));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<HttpResponse<String>>> partitions = new ArrayList<>();
      for (int p = 1; p < 5; p++) {
        String query = "?partition=" + p;
        partitions.add(pool.submit(() -> status(handle, query)));
      }
      for (Future<HttpResponse<String>> partition : partitions) {
        JsonNode body = json(partition.get());
        assertThat(body.fieldNames()).toIterable().containsExactly("data");
        body.get("data").forEach(r -> rows.add(values(r)));
      }
    } finally {
      pool.shutdownNow();
    }

    List<List<String>> expected = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      expected.add(SnowflakeResults.row(SEED, i));
    }
    assertThat(rows).isEqualTo(expected);
    assertThat(sandbox.snowflake().stats().partitionRequests()).isEqualTo(4);
    assertThat(sandbox.snowflake().stats().maxPartitionsInFlight()).isGreaterThan(1);
  }

  @Test
  void givenSameRequestId_whenResubmitted_thenSameStatementNotRunTwice() throws Exception {
    String first = json(submit("req-7")).get("statementHandle").asText();
    String again = json(submit("req-7")).get("statementHandle").asText();

    assertThat(again).isEqualTo(first);
    assertThat(sandbox.snowflake().stats().statementsSubmitted()).isEqualTo(1);
    assertThat(sandbox.snowflake().stats().resubmissions()).isEqualTo(1);
  }

  @Test
  void givenFailingStatement_whenDone_then422WithCodeAndMessage() throws Exception {
    sandbox.snowflake().running(1, Duration.ZERO);
    sandbox
        .snowflake()
        .fail("002003", "SQL compilation error:\nObject 'X' does not exist.", "02000");
    String handle = json(submit(null)).get("statementHandle").asText();

    HttpResponse<String> response = status(handle, "");

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(json(response).get("code").asText()).isEqualTo("002003");
    assertThat(json(response).get("sqlState").asText()).isEqualTo("02000");
  }

  @Test
  void givenRunningStatement_whenCancelled_then422Canceled() throws Exception {
    String handle = json(submit(null)).get("statementHandle").asText();

    HttpResponse<String> cancel =
        client.send(
            authorized(STATEMENTS + "/" + handle + "/cancel").POST(BodyPublishers.noBody()));

    assertThat(cancel.statusCode()).isEqualTo(200);
    assertThat(json(status(handle, "")).get("code").asText()).isEqualTo("000604");
    assertThat(sandbox.snowflake().stats().statementsRunning()).isZero();
  }

  @Test
  void givenNoToken_whenSubmitting_then401() throws Exception {
    HttpResponse<String> response =
        client.postJson(STATEMENTS + "?async=true", "{\"statement\":\"select 1\"}");

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(sandbox.snowflake().stats().unauthorized()).isEqualTo(1);
  }

  @Test
  void givenPartitionOutOfRange_whenFetched_then400NamingTheCount() throws Exception {
    sandbox.snowflake().running(1, Duration.ZERO);
    String handle = json(submit(null)).get("statementHandle").asText();

    HttpResponse<String> response = status(handle, "?partition=9");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).get("message").asText()).contains("4 partitions");
  }

  private static List<String> values(JsonNode row) {
    List<String> values = new ArrayList<>();
    row.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static java.net.http.HttpRequest.Builder authorized(String path) {
    return client
        .request(path)
        .header("Authorization", "Bearer " + SnowflakeEmulator.TOKEN)
        .header("X-Snowflake-Authorization-Token-Type", "OAUTH");
  }

  private static HttpResponse<String> submit(String requestId) throws Exception {
    String query = "?async=true" + (requestId == null ? "" : "&requestId=" + requestId);
    return client.send(
        authorized(STATEMENTS + query)
            .header("Content-Type", "application/json")
            .POST(
                BodyPublishers.ofString(
                    "{\"statement\":\"select * from orders\",\"timeout\":60}")));
  }

  private static HttpResponse<String> status(String handle, String query) throws Exception {
    return client.send(authorized(STATEMENTS + "/" + handle + query));
  }
}
