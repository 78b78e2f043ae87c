package dev.sluice.sandbox;

import static dev.sluice.sandbox.SandboxClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BulkQueryResultsTest {

  private static final long SEED = 42;
  private static final int ROWS = 1000;
  private static final String ALL_FIELDS =
      "SELECT " + String.join(", ", ContactData.FIELDS) + " FROM Contact";

  private static SandboxServer sandbox;
  private static SandboxClient client;
  private String token;

  @BeforeAll
  static void start() {
    sandbox = SandboxServer.start(SandboxConfig.defaults().withContactRecords(ROWS).withSeed(SEED));
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
  void givenJobCompleted_whenPagingResults_thenEveryRowServedOnce() throws Exception {
    String jobId = completedJob(ALL_FIELDS);

    List<Map<String, String>> served = new ArrayList<>();
    List<String> locators = new ArrayList<>();
    String locator = null;
    do {
      HttpResponse<String> page =
          client.results(
              token, jobId, "?maxRecords=300" + (locator == null ? "" : "&locator=" + locator));
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
      List<Map<String, String>> rows = asMaps(page.body());
      assertThat(page.headers().firstValue("Sforce-NumberOfRecords"))
          .hasValue(Integer.toString(rows.size()));
      served.addAll(rows);
      locator = page.headers().firstValue("Sforce-Locator").orElseThrow();
      locators.add(locator);
    } while (!locator.equals("null"));

    assertThat(locators).hasSize(4).last().isEqualTo("null");
    assertThat(served).isEqualTo(ContactData.rows(SEED, 0, ROWS));
    assertThat(sandbox.salesforce().stats().resultPagesServed()).isEqualTo(4);
  }

  @Test
  void givenLocator_whenFetchedTwice_thenSamePage() throws Exception {
    String jobId = completedJob("SELECT Id, LastName FROM Contact");
    String locator =
        client
            .results(token, jobId, "?maxRecords=100")
            .headers()
            .firstValue("Sforce-Locator")
            .orElseThrow();

    HttpResponse<String> first = client.results(token, jobId, "?maxRecords=100&locator=" + locator);
    HttpResponse<String> second =
        client.results(token, jobId, "?maxRecords=100&locator=" + locator);

    assertThat(second.body()).isEqualTo(first.body());
    assertThat(asMaps(first.body()))
        .isEqualTo(project(ContactData.rows(SEED, 100, 200), "Id", "LastName"));
  }

  @Test
  void givenHostileValues_whenServedAsCsv_thenQuotedPerRfc4180() throws Exception {
    String jobId = completedJob("SELECT Id, FirstName, Title, Description FROM Contact");

    String csv = client.results(token, jobId, "").body();

    assertThat(csv)
        .startsWith("Id,FirstName,Title,Description\n")
        .contains("\"Director, \"\"Ops\"\", EMEA\"")
        .contains("\"Met at the \"\"Data, Now\"\" expo.\nFollow up: call, then email.\"")
        .contains(",\"\"\n")
        .contains(",\n")
        .contains("Ödön")
        .contains("李")
        .contains("🚀");
  }

  @Test
  void givenModstampFilter_whenQuerying_thenOnlyLaterRowsIncludingAddedOnes() throws Exception {
    sandbox.salesforce().addContacts(5);
    String cutoff = ContactData.row(SEED, 994).get("SystemModstamp");

    String jobId =
        completedJob("SELECT Id, SystemModstamp FROM Contact WHERE SystemModstamp > " + cutoff);

    assertThat(asMaps(client.results(token, jobId, "").body()))
        .isEqualTo(project(ContactData.rows(SEED, 995, 1005), "Id", "SystemModstamp"));
  }

  @Test
  void givenInclusiveFilter_whenQuerying_thenBoundaryRowIncluded() throws Exception {
    String cutoff = ContactData.row(SEED, 998).get("SystemModstamp");

    String jobId = completedJob("SELECT Id FROM Contact WHERE SystemModstamp >= " + cutoff);

    assertThat(asMaps(client.results(token, jobId, "").body())).hasSize(2);
  }

  @Test
  void givenRowsAddedAfterJobCreation_whenPaging_thenSnapshotUnchanged() throws Exception {
    String jobId = client.createJobId(token, "SELECT Id FROM Contact");
    sandbox.salesforce().addContacts(50);
    client.awaitComplete(token, jobId);

    HttpResponse<String> page = client.results(token, jobId, "");

    assertThat(page.headers().firstValue("Sforce-NumberOfRecords")).hasValue("1000");
    assertThat(page.headers().firstValue("Sforce-Locator")).hasValue("null");
  }

  @Test
  void givenJobInProgress_whenFetchingResults_thenJobNotComplete() throws Exception {
    String jobId = client.createJobId(token, "SELECT Id FROM Contact");
    client.jobStatus(token, jobId);

    HttpResponse<String> response = client.results(token, jobId, "");

    assertThat(response.statusCode()).isEqualTo(412);
    assertThat(json(response).get(0).get("errorCode").asText()).isEqualTo("JOB_NOT_COMPLETE");
  }

  @Test
  void givenGzipAccepted_whenFetchingResults_thenBodyGzipEncoded() throws Exception {
    String jobId = completedJob("SELECT Id FROM Contact");

    HttpResponse<byte[]> response =
        client.sendForBytes(
            client
                .request("/services/data/v62.0/jobs/query/" + jobId + "/results?maxRecords=10")
                .header("Authorization", "Bearer " + token)
                .header("Accept-Encoding", "gzip"));

    assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
    String csv =
        new String(
            new GZIPInputStream(new ByteArrayInputStream(response.body())).readAllBytes(),
            StandardCharsets.UTF_8);
    assertThat(asMaps(csv)).isEqualTo(project(ContactData.rows(SEED, 0, 10), "Id"));
  }

  private String completedJob(String soql) throws Exception {
    String jobId = client.createJobId(token, soql);
    client.awaitComplete(token, jobId);
    return jobId;
  }

  private static List<Map<String, String>> asMaps(String csv) {
    List<List<String>> lines = CsvReader.read(csv);
    List<String> header = lines.get(0);
    List<Map<String, String>> rows = new ArrayList<>();
    for (List<String> line : lines.subList(1, lines.size())) {
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        row.put(header.get(i), line.get(i));
      }
      rows.add(row);
    }
    return rows;
  }

  private static List<Map<String, String>> project(
      List<Map<String, String>> rows, String... fields) {
    return rows.stream()
        .map(
            row -> {
              Map<String, String> projected = new LinkedHashMap<>();
              for (String field : fields) {
                projected.put(field, row.get(field));
              }
              return projected;
            })
        .toList();
  }
}
