package dev.sluice.sandbox;

import static dev.sluice.sandbox.SandboxClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetaInsightsTest {

  private static final String GRAPH = "/graph/v21.0";
  private static final String ACCOUNT = MetaInsightsEmulator.AD_ACCOUNT_ID;
  private static final String TOKEN = "access_token=" + MetaInsightsEmulator.TOKEN;

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
    sandbox.meta().reset();
  }

  @Test
  void givenRun_whenReadAndPaged_thenStatusesAdvanceAndEveryDailyRowServedInOrder()
      throws Exception {
    String runId = createRun("2026-11-01", "2026-11-10");
    assertThat(sandbox.meta().stats().runsInFlight()).isEqualTo(1);

    JsonNode first = read(runId);
    JsonNode second = read(runId);
    JsonNode third = read(runId);
    List<String> rows = page(runId, 7);

    assertThat(first.get("async_status").asText()).isEqualTo("Job Not Started");
    assertThat(first.get("async_percent_completion").asInt()).isZero();
    assertThat(second.get("async_status").asText()).isEqualTo("Job Running");
    assertThat(third.get("async_status").asText()).isEqualTo("Job Completed");
    assertThat(third.get("async_percent_completion").asInt()).isEqualTo(100);
    assertThat(third.get("date_start").asText()).isEqualTo("2026-11-01");
    assertThat(rows)
        .hasSize(30)
        .isEqualTo(
            sandbox
                .meta()
                .expectedDailyCampaignRows(
                    ACCOUNT, LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-10")));
    assertThat(sandbox.meta().stats().insightsPages()).isEqualTo(5);
    assertThat(sandbox.meta().stats().runsInFlight()).isZero();
  }

  @Test
  void givenRangeOverDayLimit_whenRunFinishes_thenJobFailedWithReduceDataErrorAndHalvesMatch()
      throws Exception {
    sandbox.meta().maxDays(8);

    String whole = createRun("2026-11-01", "2026-11-16");
    read(whole);
    read(whole);
    JsonNode failed = read(whole);
    HttpResponse<String> insights =
        client.send(client.request(GRAPH + "/" + whole + "/insights?" + TOKEN));

    assertThat(failed.get("async_status").asText()).isEqualTo("Job Failed");
    assertThat(failed.get("error_code").asInt()).isEqualTo(100);
    assertThat(failed.get("error_subcode").asInt()).isEqualTo(1487534);
    assertThat(failed.get("error_message").asText())
        .isEqualTo("Please reduce the amount of data you're asking for, then retry your request");
    assertThat(insights.statusCode()).isEqualTo(400);
    assertThat(json(insights).at("/error/message").asText()).startsWith("Please reduce the amount");

    List<String> split = new ArrayList<>(completedRows("2026-11-01", "2026-11-08"));
    split.addAll(completedRows("2026-11-09", "2026-11-16"));
    sandbox.meta().maxDays(31);
    List<String> unsplit = completedRows("2026-11-01", "2026-11-16");

    assertThat(split).hasSize(48).isEqualTo(unsplit);
  }

  @Test
  void givenAccountLevelAllDays_whenRunCompletes_thenOneRowSummingEveryCampaignDay()
      throws Exception {
    HttpResponse<String> created =
        client.postForm(
            GRAPH + "/act_" + ACCOUNT + "/insights",
            TOKEN + "&fields=impressions&time_range=" + range("2026-11-01", "2026-11-03"));
    String runId = json(created).get("report_run_id").asText();
    read(runId);
    read(runId);
    read(runId);

    List<String> rows = page(runId, 25);

    long expected =
        sandbox
            .meta()
            .expectedDailyCampaignRows(
                ACCOUNT, LocalDate.parse("2026-11-01"), LocalDate.parse("2026-11-03"))
            .stream()
            .mapToLong(r -> parse(r).get("impressions").asLong())
            .sum();
    assertThat(rows).hasSize(1);
    JsonNode row = parse(rows.get(0));
    assertThat(row.get("impressions").asLong()).isEqualTo(expected);
    assertThat(row.has("spend")).isFalse();
    assertThat(row.get("date_stop").asText()).isEqualTo("2026-11-03");
  }

  @Test
  void givenBadToken_whenCreatingRun_thenOAuthException190() throws Exception {
    HttpResponse<String> response =
        client.postForm(
            GRAPH + "/act_" + ACCOUNT + "/insights",
            "access_token=nope&time_range=" + range("2026-11-01", "2026-11-02"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).at("/error/code").asInt()).isEqualTo(190);
    assertThat(sandbox.meta().stats().unauthorized()).isEqualTo(1);
  }

  @Test
  void givenTwoRunsAtOnce_whenCounted_thenMaxRunsInFlightIsTwo() throws Exception {
    createRun("2026-11-01", "2026-11-02");
    createRun("2026-11-03", "2026-11-04");

    assertThat(sandbox.meta().stats().maxRunsInFlight()).isEqualTo(2);
    assertThat(sandbox.meta().stats().runsCreated()).isEqualTo(2);
  }

  private List<String> completedRows(String since, String until) throws Exception {
    String runId = createRun(since, until);
    for (int i = 0; i < 3; i++) {
      read(runId);
    }
    return page(runId, 10);
  }

  private static String range(String since, String until) {
    return URLEncoder.encode(
        "{\"since\":\"" + since + "\",\"until\":\"" + until + "\"}", StandardCharsets.UTF_8);
  }

  private static String createRun(String since, String until) throws Exception {
    HttpResponse<String> response =
        client.postForm(
            GRAPH + "/act_" + ACCOUNT + "/insights",
            TOKEN + "&level=campaign&time_increment=1&time_range=" + range(since, until));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response).get("report_run_id").asText();
  }

  private static JsonNode read(String runId) throws Exception {
    HttpResponse<String> response = client.send(client.request(GRAPH + "/" + runId + "?" + TOKEN));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  /** Follows paging.next from the first page; returns every row as JSON text. */
  private static List<String> page(String runId, int limit) throws Exception {
    List<String> rows = new ArrayList<>();
    String next = GRAPH + "/" + runId + "/insights?" + TOKEN + "&limit=" + limit;
    while (next != null) {
      HttpResponse<String> response = client.send(client.request(next));
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      JsonNode body = json(response);
      body.get("data").forEach(row -> rows.add(row.toString()));
      next = body.at("/paging/next").isMissingNode() ? null : body.at("/paging/next").asText();
    }
    return rows;
  }

  private static JsonNode parse(String json) {
    try {
      return SandboxClient.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
