package dev.sluice.activities.sandbox;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.pipeline.CleanupSpec;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.ExtractSpec;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.RequestIdSpec;
import dev.sluice.pipeline.RequestSpec;
import dev.sluice.pipeline.StatusSpec;
import dev.sluice.pipeline.SubmitSpec;
import dev.sluice.sandbox.ContactData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The source of {@code examples/salesforce-bulk-contacts.yaml}, pointed at a sandbox: OAuth2 client
 * credentials from secret references, a Bulk API 2.0 query job, header-locator paging of its CSV
 * result, abort and delete.
 */
final class SalesforceSource {
  static final String API = "/services/data/v62.0/jobs/query";
  static final String ALL_FIELDS = String.join(", ", ContactData.FIELDS);

  /** The typed columns of the example pipeline; the others are inferred. */
  static final List<ColumnSpec> DECLARED_COLUMNS =
      List.of(
          new ColumnSpec("AnnualRevenue", "decimal(18,2)", null),
          new ColumnSpec("Birthdate", "date", null),
          new ColumnSpec("CreatedDate", "timestamp", null),
          new ColumnSpec("SystemModstamp", "timestamp", null),
          new ColumnSpec("NumberOfEmployees", "long", null));

  private SalesforceSource() {}

  /**
   * Every Contact field, one page per request as the provider likes, OAuth with the real secret.
   */
  static AsyncHttpSource contacts(String baseUrl) {
    return of(
        baseUrl, SandboxFixture.CLIENT_SECRET_REF, ALL_FIELDS, null, Map.of("Accept", "text/csv"));
  }

  /** Pages of {@code pageSize} records ({@code maxRecords}). */
  static AsyncHttpSource contacts(String baseUrl, int pageSize) {
    return of(
        baseUrl,
        SandboxFixture.CLIENT_SECRET_REF,
        ALL_FIELDS,
        pageSize,
        Map.of("Accept", "text/csv"));
  }

  /** Pages of {@code pageSize} records, with extra extract headers. */
  static AsyncHttpSource contacts(
      String baseUrl, int pageSize, Map<String, String> extractHeaders) {
    return of(baseUrl, SandboxFixture.CLIENT_SECRET_REF, ALL_FIELDS, pageSize, extractHeaders);
  }

  /** Selecting {@code fields} (a SOQL field list) instead of every Contact field. */
  static AsyncHttpSource selecting(String baseUrl, String fields) {
    return of(baseUrl, SandboxFixture.CLIENT_SECRET_REF, fields, null, Map.of());
  }

  /** Authenticating with the client secret {@code secretTemplate} (a literal or a reference). */
  static AsyncHttpSource withClientSecret(String baseUrl, String secretTemplate) {
    return of(baseUrl, secretTemplate, ALL_FIELDS, null, Map.of());
  }

  private static AsyncHttpSource of(
      String baseUrl,
      String clientSecret,
      String fields,
      Integer pageSize,
      Map<String, String> extractHeaders) {
    String jobs = baseUrl + API;
    AuthSpec auth =
        new AuthSpec.OAuth2ClientCredentials(baseUrl + "/services/oauth2/token", SandboxFixture.CLIENT_ID_REF, clientSecret, null, null, null);
    String query =
        "SELECT "
            + fields
            + " FROM Contact WHERE SystemModstamp > ${watermark} ORDER BY SystemModstamp";
    SubmitSpec submit =
        new SubmitSpec(
            "POST",
            jobs,
            Map.of("Content-Type", "application/json"),
            "{\"operation\":\"query\",\"query\":\"" + query + "\"}",
            new RequestIdSpec("body", "/id", null, null));
    StatusSpec status =
        new StatusSpec(
            null,
            jobs + "/${requestId}",
            null,
            "/state",
            "^JobComplete$",
            "^(Failed|Aborted)$",
            "/errorMessage",
            null,
            null,
            null,
            null, null);
    ExtractSpec extract =
        new ExtractSpec(
            jobs + "/${requestId}/results",
            extractHeaders,
            FormatSpec.CSV,
            null,
            new PaginationSpec.HeaderLocator("Sforce-Locator", "locator", "null", pageSize == null ? null : "maxRecords", pageSize, null),
            null,
            null, null);
    CleanupSpec cleanup =
        new CleanupSpec(
            new RequestSpec(
                "PATCH",
                jobs + "/${requestId}",
                Map.of("Content-Type", "application/json"),
                "{\"state\":\"Aborted\"}"),
            new RequestSpec("DELETE", jobs + "/${requestId}", null, null));
    return new AsyncHttpSource(auth, submit, status, extract, cleanup, null, null, null);
  }

  /** The variables of a run: watermark before every row, no request ID yet. */
  static Map<String, String> runVars() {
    Map<String, String> vars = new HashMap<>();
    vars.put("watermark", "1970-01-01T00:00:00.000Z");
    vars.put("logicalDate", "2026-11-22T00:00:00Z");
    vars.put("runId", "ingest/salesforce-contacts/2026-11-22T00:00:00Z");
    vars.put("pipeline", "salesforce-contacts");
    return Map.copyOf(vars);
  }

  /** The run's variables with the provider's request ID. */
  static Map<String, String> varsWith(String requestId) {
    Map<String, String> vars = new HashMap<>(runVars());
    vars.put("requestId", requestId);
    return Map.copyOf(vars);
  }

  /** The example's sink at {@code path}, rolling files at {@code targetFileSize}. */
  static ParquetSink sink(String path, String targetFileSize, int inferRows) {
    return new ParquetSink(path, "append", "snappy", targetFileSize, DECLARED_COLUMNS, inferRows);
  }
}
