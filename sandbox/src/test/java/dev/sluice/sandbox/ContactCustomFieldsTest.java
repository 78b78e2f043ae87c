package dev.sluice.sandbox;

import static dev.sluice.sandbox.SandboxClient.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The {@link SandboxConfig#withContactCustomFields} knob: wide Contact rows for benchmarks. */
class ContactCustomFieldsTest {

  private static final long SEED = 42;
  private static final int ROWS = 2000;
  private static final int CUSTOM = 87;

  @Test
  void givenCustomFields_whenNamed_thenStandardFieldsFirstThenKindPrefixedCustomFields() {
    List<String> fields = ContactData.fields(7);

    assertThat(ContactData.fields(0)).isEqualTo(ContactData.FIELDS);
    assertThat(fields.subList(0, ContactData.FIELDS.size())).isEqualTo(ContactData.FIELDS);
    assertThat(fields.subList(ContactData.FIELDS.size(), fields.size()))
        .containsExactly(
            "Text001__c",
            "Number002__c",
            "Amount003__c",
            "Stamp004__c",
            "Pick005__c",
            "Text006__c",
            "Number007__c");
    assertThatThrownBy(() -> SandboxConfig.defaults().withContactCustomFields(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void givenCustomFields_whenGenerated_thenStandardValuesUnchangedAndCustomValuesSeeded() {
    List<Map<String, String>> wide = ContactData.rows(SEED, 0, ROWS, CUSTOM);

    assertThat(wide)
        .extracting(r -> project(r, ContactData.FIELDS))
        .isEqualTo(ContactData.rows(SEED, 0, ROWS));
    assertThat(ContactData.rows(SEED, 500, 501, CUSTOM).get(0)).isEqualTo(wide.get(500));
    assertThat(ContactData.rows(SEED + 1, 0, 1, CUSTOM).get(0).get("Text001__c"))
        .isNotEqualTo(wide.get(0).get("Text001__c"));
  }

  @Test
  void givenCustomFields_whenGenerated_thenEachKindParsesAndSomeAreNull() {
    List<Map<String, String>> wide = ContactData.rows(SEED, 0, ROWS, CUSTOM);
    int first = ContactData.FIELDS.size();
    List<String> custom = ContactData.fields(CUSTOM).subList(first, first + 5);
    long values = 0;
    long nulls = 0;
    List<String> texts = new ArrayList<>();
    for (Map<String, String> row : wide) {
      for (Map.Entry<String, String> e : row.entrySet()) {
        if (e.getKey().endsWith("__c")) {
          values++;
          nulls += e.getValue() == null ? 1 : 0;
        }
      }
      String text = row.get(custom.get(0));
      if (text != null) {
        texts.add(text);
      }
      if (row.get(custom.get(1)) != null) {
        assertThat(Long.parseLong(row.get(custom.get(1)))).isBetween(0L, 9_999_999_999L);
      }
      if (row.get(custom.get(2)) != null) {
        assertThat(new BigDecimal(row.get(custom.get(2))).scale()).isEqualTo(2);
      }
      if (row.get(custom.get(3)) != null) {
        assertThat(Instant.parse(row.get(custom.get(3))))
            .isBetween(ContactData.FIRST_CREATED, Instant.parse("2030-01-01T00:00:00Z"));
      }
    }

    assertThat((double) nulls / values).isBetween(0.07, 0.13);
    assertThat(texts).allMatch(t -> t.length() >= 4 && t.length() <= 90);
    assertThat(texts).anyMatch(t -> t.contains(","));
    assertThat(texts.stream().mapToInt(String::length).average().orElseThrow())
        .isBetween(20.0, 50.0);
    assertThat(wide)
        .extracting(r -> r.get(custom.get(4)))
        .filteredOn(Objects::nonNull)
        .hasSizeGreaterThan(ROWS / 2)
        .contains("New", "Closed - Converted");
  }

  @Test
  void givenCustomFields_whenStreamedAsCsv_thenSameBytesAsCsvOfTheRowMaps() throws Exception {
    ContactTable table = new ContactTable(SEED, ROWS, CUSTOM);
    ByteArrayOutputStream streamed = new ByteArrayOutputStream();

    table.writeCsv(table.fields(), 100, ROWS, streamed);

    assertThat(streamed.toString(StandardCharsets.UTF_8))
        .isEqualTo(Csv.write(table.fields(), ContactData.rows(SEED, 100, ROWS, CUSTOM)));
  }

  @Test
  void givenSandboxWithCustomFields_whenQueryingThem_thenServedAsGenerated() throws Exception {
    SandboxConfig config =
        SandboxConfig.defaults()
            .withContactRecords(ROWS)
            .withSeed(SEED)
            .withContactCustomFields(CUSTOM);
    try (SandboxServer sandbox = SandboxServer.start(config)) {
      SandboxClient client = new SandboxClient(sandbox.baseUrl());
      String token = client.token();
      String jobId =
          client.createJobId(
              token, "SELECT " + String.join(", ", ContactData.fields(CUSTOM)) + " FROM Contact");
      client.awaitComplete(token, jobId);

      HttpResponse<String> page = client.results(token, jobId, "?maxRecords=" + ROWS);

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body())
          .isEqualTo(
              Csv.write(ContactData.fields(CUSTOM), ContactData.rows(SEED, 0, ROWS, CUSTOM)));
    }
  }

  @Test
  void givenDefaultSandbox_whenQueryingACustomField_thenInvalidJobNamingIt() throws Exception {
    try (SandboxServer sandbox = SandboxServer.start(SandboxConfig.defaults())) {
      SandboxClient client = new SandboxClient(sandbox.baseUrl());

      HttpResponse<String> response =
          client.createJob(client.token(), "SELECT Id, Text001__c FROM Contact");

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(json(response).get(0).get("errorCode").asText()).isEqualTo("INVALIDJOB");
      assertThat(json(response).get(0).get("message").asText())
          .contains("No such column 'Text001__c'");
    }
  }

  private static Map<String, String> project(Map<String, String> row, List<String> fields) {
    Map<String, String> projected = new LinkedHashMap<>();
    for (String field : fields) {
      projected.put(field, row.get(field));
    }
    return projected;
  }
}
