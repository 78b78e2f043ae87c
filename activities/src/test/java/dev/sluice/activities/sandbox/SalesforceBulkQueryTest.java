package dev.sluice.activities.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.sandbox.ContactData;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.workflows.activities.Messages.ExtractRequest;
import dev.sluice.workflows.activities.Messages.ExtractResult;
import dev.sluice.workflows.activities.Messages.Outcome;
import dev.sluice.workflows.activities.Messages.StatusRequest;
import dev.sluice.workflows.activities.Messages.StatusResult;
import dev.sluice.workflows.activities.Messages.SubmitRequest;
import dev.sluice.workflows.activities.Messages.SubmitResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Bulk API 2.0 path with the real activities: submit (with its receipt), poll until
 * ready, extract every results page into rolled Parquet files, then read them back row by row.
 */
class SalesforceBulkQueryTest {
  private static final int CONTACTS = 600;
  private static final SandboxConfig CONFIG =
      SandboxConfig.defaults().withContactRecords(CONTACTS).withPollsBeforeReady(3);

  @TempDir Path dir;
  private SandboxFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private String receiptUri() {
    return "file://" + dir + "/table/_sluice/jobs/run-1/attempt.json";
  }

  private String submit(AsyncHttpSource source) {
    return fixture
        .activities
        .submit(new SubmitRequest("run-1", source, SalesforceSource.runVars(), receiptUri()))
        .requestId();
  }

  /** Polls until the job is no longer pending; returns every status seen. */
  private List<StatusResult> pollUntilDone(AsyncHttpSource source, String requestId) {
    List<StatusResult> seen = new ArrayList<>();
    StatusResult status;
    do {
      status =
          fixture.activities.checkStatus(
              new StatusRequest(source, SalesforceSource.varsWith(requestId)));
      seen.add(status);
    } while (status.outcome() == Outcome.PENDING && seen.size() < 10);
    return seen;
  }

  private ExtractResult extract(AsyncHttpSource source, String requestId, String targetFileSize) {
    try (ExtractEnvironment env = new ExtractEnvironment(fixture.activities)) {
      return env.extract(
          new ExtractRequest(
              "run-1",
              source,
              SalesforceSource.varsWith(requestId),
              SalesforceSource.sink("file://" + dir + "/table", targetFileSize, 50),
              "file://" + dir + "/staging",
              "SystemModstamp"));
    }
  }

  @Test
  void
      givenNewRun_whenSubmittedTwiceWithOneReceipt_thenSecondReusesTheJobAndNoSecondJobIsCreated() {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl());

    SubmitResult first =
        fixture.activities.submit(
            new SubmitRequest("run-1", source, SalesforceSource.runVars(), receiptUri()));
    SubmitResult second =
        fixture.activities.submit(
            new SubmitRequest("run-1", source, SalesforceSource.runVars(), receiptUri()));

    String createdJob = fixture.sandbox.salesforce().stats().jobs().get(0).id();
    assertThat(first.requestId()).isEqualTo(createdJob);
    assertThat(first.reused()).isFalse();
    assertThat(fixture.files.readString(receiptUri()))
        .get()
        .asString()
        .contains("\"requestId\":\"" + createdJob + "\"");
    assertThat(second.requestId()).isEqualTo(createdJob);
    assertThat(second.reused()).isTrue();
    assertThat(fixture.sandbox.salesforce().stats().jobsCreated()).isEqualTo(1);
  }

  @Test
  void givenJobNeedsThreePolls_whenChecked_thenPendingUntilTheThirdPollSeesJobComplete() {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl());
    String requestId = submit(source);

    List<StatusResult> seen = pollUntilDone(source, requestId);

    assertThat(seen)
        .extracting(StatusResult::state, StatusResult::outcome)
        .containsExactly(
            tuple("InProgress", Outcome.PENDING),
            tuple("InProgress", Outcome.PENDING),
            tuple("JobComplete", Outcome.READY));
    assertThat(fixture.sandbox.salesforce().stats().statusPolls()).isEqualTo(3);
  }

  @Test
  void givenJobFails_whenPolling_thenFailedWithSalesforceErrorMessage() {
    fixture = SandboxFixture.start(CONFIG);
    fixture.sandbox.salesforce().failJobs("INVALID_FIELD: SystemModstamp cannot be filtered");
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl());
    String requestId = submit(source);

    List<StatusResult> seen = pollUntilDone(source, requestId);

    assertThat(seen.get(seen.size() - 1))
        .isEqualTo(
            new StatusResult(
                "Failed",
                Outcome.FAILED,
                "INVALID_FIELD: SystemModstamp cannot be filtered",
                null,
                null));
  }

  @Test
  void
      givenSmallPagesAndSmallFiles_whenExtracted_thenEveryRowLandsOnceTypedAsDeclaredAcrossFiles() {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl(), 45);
    String requestId = submit(source);
    pollUntilDone(source, requestId);

    ExtractResult result = extract(source, requestId, "16KB");

    List<Map<String, Object>> rows = StagedFiles.rows(dir.resolve("staging"), result.files());
    assertThat(result.pages()).as("pages of 45 out of 600").isEqualTo(14);
    assertThat(fixture.sandbox.salesforce().stats().resultPagesServed()).isEqualTo(14);
    assertThat(result.files()).as("files rolled at 16KB").hasSizeGreaterThan(2);
    assertThat(dir.resolve("staging").toFile().list())
        .containsExactlyInAnyOrderElementsOf(result.files());
    assertThat(result.bytes())
        .isEqualTo(
            result.files().stream()
                .mapToLong(f -> dir.resolve("staging").resolve(f).toFile().length())
                .sum());
    assertThat(result.rows()).isEqualTo(CONTACTS);
    assertThat(rows).hasSize(CONTACTS);
    assertThat(rows).isEqualTo(ExpectedRows.contacts(CONFIG.seed(), 0, CONTACTS));
    assertThat(result.maxWatermark())
        .isEqualTo(ContactData.row(CONFIG.seed(), CONTACTS - 1).get("SystemModstamp"));
  }

  @Test
  void
      givenDeclaredColumns_whenExtracted_thenParquetTypesAreTheDeclaredOnesAndInferredForTheRest() {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl(), 200);
    String requestId = submit(source);
    pollUntilDone(source, requestId);

    ExtractResult result = extract(source, requestId, "128MB");

    MessageType schema = StagedFiles.schema(dir.resolve("staging").resolve(result.files().get(0)));
    assertThat(schema.getType("AnnualRevenue").getLogicalTypeAnnotation())
        .isEqualTo(LogicalTypeAnnotation.decimalType(2, 18));
    assertThat(schema.getType("Birthdate").getLogicalTypeAnnotation())
        .isEqualTo(LogicalTypeAnnotation.dateType());
    assertThat(schema.getType("SystemModstamp").getLogicalTypeAnnotation())
        .isEqualTo(
            LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
    assertThat(schema.getType("NumberOfEmployees").asPrimitiveType().getPrimitiveTypeName())
        .isEqualTo(PrimitiveTypeName.INT64);
    assertThat(schema.getType("HasOptedOutOfEmail").asPrimitiveType().getPrimitiveTypeName())
        .as("inferred")
        .isEqualTo(PrimitiveTypeName.BOOLEAN);
    assertThat(schema.getType("Description").getLogicalTypeAnnotation())
        .isEqualTo(LogicalTypeAnnotation.stringType());
  }

  @Test
  void givenHostileCsv_whenExtracted_thenCommasQuotesLineBreaksUnicodeAndNullVersusEmptySurvive() {
    fixture = SandboxFixture.start(CONFIG);
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl(), 100);
    String requestId = submit(source);
    pollUntilDone(source, requestId);

    ExtractResult result = extract(source, requestId, "128MB");

    List<Map<String, Object>> rows = StagedFiles.rows(dir.resolve("staging"), result.files());
    List<Map<String, Object>> expected = ExpectedRows.contacts(CONFIG.seed(), 0, CONTACTS);
    // The data must contain each case, or this test proves nothing about it.
    assertThat(expected).anyMatch(r -> "".equals(r.get("Description")));
    assertThat(expected).anyMatch(r -> r.get("Description") == null);
    assertThat(expected).anyMatch(r -> Objects.toString(r.get("Description")).contains("\r\n"));
    assertThat(expected)
        .anyMatch(
            r -> {
              String d = Objects.toString(r.get("Description"));
              return d.contains("\n") && !d.contains("\r\n") && d.contains("\"");
            });
    assertThat(expected).anyMatch(r -> "Director, \"Ops\", EMEA".equals(r.get("Title")));
    assertThat(expected).anyMatch(r -> "Max 🚀".equals(r.get("FirstName")));
    assertThat(rows).hasSize(CONTACTS);
    for (int i = 0; i < CONTACTS; i++) {
      Map<String, Object> want = expected.get(i);
      Map<String, Object> got = rows.get(i);
      assertThat(got.get("Description"))
          .as("Description of row %d", i)
          .isEqualTo(want.get("Description"));
      assertThat(got.get("Title")).as("Title of row %d", i).isEqualTo(want.get("Title"));
      assertThat(got.get("FirstName"))
          .as("FirstName of row %d", i)
          .isEqualTo(want.get("FirstName"));
      assertThat(got.get("LastName")).as("LastName of row %d", i).isEqualTo(want.get("LastName"));
      assertThat(got.get("Phone")).as("Phone of row %d", i).isEqualTo(want.get("Phone"));
    }
  }

  @Test
  void givenAcceptEncodingGzipInExtractHeaders_whenExtracted_thenSandboxGzipsAndRowsStillMatch() {
    List<String> resultEncodings = new CopyOnWriteArrayList<>();
    OkHttpClient recording =
        new OkHttpClient.Builder()
            // Application level: a Content-Encoding still here means OkHttp left the body
            // compressed,
            // so what decoded it was the extractor.
            .addInterceptor(
                chain -> {
                  Response response = chain.proceed(chain.request());
                  if (chain.request().url().encodedPath().endsWith("/results")) {
                    resultEncodings.add(String.valueOf(response.header("Content-Encoding")));
                  }
                  return response;
                })
            .build();
    fixture = SandboxFixture.start(CONFIG, recording);
    AsyncHttpSource source =
        SalesforceSource.contacts(
            fixture.baseUrl(), 250, Map.of("Accept", "text/csv", "Accept-Encoding", "gzip"));
    String requestId = submit(source);
    pollUntilDone(source, requestId);

    ExtractResult result = extract(source, requestId, "128MB");

    assertThat(resultEncodings)
        .as("Content-Encoding of each results page")
        .containsExactly("gzip", "gzip", "gzip");
    assertThat(StagedFiles.rows(dir.resolve("staging"), result.files()))
        .isEqualTo(ExpectedRows.contacts(CONFIG.seed(), 0, CONTACTS));
  }

  @Test
  void
      givenOnePageLargerThanTheParserBuffer_whenExtracted_thenFieldsAcrossBufferBoundariesSurvive() {
    int contacts = 2000; // ~400KB of CSV in one page: several 64K-char buffer refills
    fixture = SandboxFixture.start(CONFIG.withContactRecords(contacts));
    AsyncHttpSource source = SalesforceSource.contacts(fixture.baseUrl());
    String requestId = submit(source);
    pollUntilDone(source, requestId);

    ExtractResult result = extract(source, requestId, "128MB");

    assertThat(result.pages()).isEqualTo(1);
    assertThat(StagedFiles.rows(dir.resolve("staging"), result.files()))
        .isEqualTo(ExpectedRows.contacts(CONFIG.seed(), 0, contacts));
  }
}
