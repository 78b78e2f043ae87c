package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.Fixtures.minimalPlus;
import static dev.sluice.starter.spec.Fixtures.minimalWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ExtractSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The checks beyond the schema, through the loader (so a check that is never run fails here). */
class SemanticChecksTest {
  private static final String SUBMIT_URL = "    url: https://api.example.com/exports\n";
  private static final String STATUS_READY = "    readyWhen: ^done$";
  private static final String EXTRACT_URL =
      "    url: https://api.example.com/exports/${requestId}/result";

  private final PipelineLoader loader = new PipelineLoader();

  private ExtractSpec extractOf(String yaml) throws PipelineValidationException {
    return ((AsyncHttpSource) loader.load(yaml, "test.yaml", Path.of("/pipelines")).spec().source())
        .extract();
  }

  private List<String> problemsOf(String yaml) {
    return Fixtures.problemsOf(loader, yaml);
  }

  @Test
  void givenMisspeltTemplateVariable_whenLoaded_thenClosestVariableSuggested() {
    String yaml = minimalWith(EXTRACT_URL, "    url: https://api.example.com/${runid}/result");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.extract.url: unknown template variable ${runid} (did you mean ${runId}?)");
  }

  @Test
  void givenUnknownTemplateVariable_whenLoaded_thenKnownVariablesListed() {
    String yaml = minimalWith(EXTRACT_URL, "    url: https://api.example.com/${customer}/result");

    assertThat(problemsOf(yaml))
        .singleElement()
        .asString()
        .startsWith("source.extract.url: unknown template variable ${customer}; use ${watermark},");
  }

  @Test
  void givenCursorPaginationOverCsv_whenLoaded_thenRejectedBecauseCsvHasNoBodyToReadItFrom() {
    String yaml =
        minimalWith(
            EXTRACT_URL,
            EXTRACT_URL
                + "\n"
                + "    pagination:\n"
                + "      type: cursor\n"
                + "      pointer: /next\n"
                + "      param: cursor");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.extract.pagination.type: 'cursor' pagination reads the next page from a JSON"
                + " body; format 'csv' has none (use header-locator, page or offset)");
  }

  @Test
  void givenRequestIdInSubmit_whenLoaded_thenRejectedBecauseItDoesNotExistYet() {
    String yaml =
        minimalWith(SUBMIT_URL, SUBMIT_URL + "    body: '{\"after\": \"${requestId}\"}'\n");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.submit.body: ${requestId} cannot be used in"
                + " submit: the provider assigns it in the submit response");
  }

  @Test
  void givenWindowBounds_whenUsedInSubmitAndExtract_thenAccepted() {
    String yaml =
        minimalWith(
                SUBMIT_URL,
                SUBMIT_URL
                    + "    body: '{\"from\": \"${windowStart}\", \"to\": \"${windowEnd}\"}'\n")
            .replace(EXTRACT_URL, EXTRACT_URL + "?from=${windowStart}&to=${windowEnd}");

    assertThat(problemsOf(yaml)).isEmpty();
  }

  @Test
  void givenWatermarkEndWithoutOpenEnd_whenLoaded_thenRefusedBecauseANewWindowHasNoUpperBound() {
    String incremental = "incremental:\n  column: updated\n  initial: \"0\"\n";
    String yaml =
        minimalWith(
                SUBMIT_URL, SUBMIT_URL + "    body: 'after ${watermark} until ${watermarkEnd}'\n")
            + incremental;

    assertThat(problemsOf(yaml))
        .singleElement()
        .asString()
        .startsWith(
            "source.submit.body: uses ${watermarkEnd}, which a new window has no value of its own"
                + " for: set incremental.openEnd");
    assertThat(problemsOf(yaml + "  openEnd: \"9223372036854775807\"\n")).isEmpty();
  }

  @Test
  void givenWatermarkEndWithoutIncremental_whenLoaded_thenRefused() {
    String yaml = minimalWith(SUBMIT_URL, SUBMIT_URL + "    body: 'until ${watermarkEnd}'\n");

    assertThat(problemsOf(yaml))
        .singleElement()
        .asString()
        .contains("${watermarkEnd}")
        .contains("needs an 'incremental' section");
  }

  @Test
  void givenMisspeltWindowBound_whenLoaded_thenSuggested() {
    String yaml = minimalWith(SUBMIT_URL, SUBMIT_URL + "    body: 'since ${windowstart}'\n");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.submit.body: unknown template variable ${windowstart} (did you mean"
                + " ${windowStart}?)");
  }

  @Test
  void givenWindowBoundInAuth_whenLoaded_thenOnlySecretReferencesAllowed() {
    String yaml =
        minimalWith("  submit:", "  auth: {type: bearer, token: '${windowEnd}'}\n  submit:");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.auth.token: ${windowEnd} cannot be used in auth:"
                + " only ${env:NAME} and ${file:/path} can");
  }

  @Test
  void givenWatermarkWithoutIncremental_whenLoaded_thenRejected() {
    String yaml = minimalWith(SUBMIT_URL, SUBMIT_URL + "    body: 'since ${watermark}'\n");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.submit.body: ${watermark} needs an"
                + " 'incremental' section (without one every run is a full extract)");
  }

  @Test
  void givenWatermarkWithIncremental_whenLoaded_thenAccepted() {
    String yaml =
        minimalPlus("incremental:\n  column: updated_at\n  initial: '2020-01-01'\n")
            .replace(SUBMIT_URL, SUBMIT_URL + "    body: 'since ${watermark}'\n");

    assertThat(problemsOf(yaml)).isEmpty();
  }

  @Test
  void givenNonSecretVariableInAuth_whenLoaded_thenOnlySecretReferencesAllowed() {
    String yaml = minimalWith("  submit:", "  auth: {type: bearer, token: '${runId}'}\n  submit:");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.auth.token: ${runId} cannot be used in auth:"
                + " only ${env:NAME} and ${file:/path} can");
  }

  @Test
  void givenMalformedSecretReferences_whenLoaded_thenEachIsExplained() {
    String yaml =
        minimalWith(
            SUBMIT_URL,
            SUBMIT_URL
                + """
                      headers:
                        X-Key: ${env:api-key}
                        X-Cert: ${file:certs/client.pem}
                        X-Open: ${env:KEY
                  """);

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.submit.headers.X-Key: ${env:api-key}: 'api-key' is not an environment variable"
                + " name",
            "source.submit.headers.X-Cert: ${file:certs/client.pem}: the file path must be"
                + " absolute",
            "source.submit.headers.X-Open: unclosed placeholder '${env:KEY': add '}'");
  }

  @Test
  void givenRequestIdRegexWithoutGroup_whenLoaded_thenAGroupIsRequired() {
    String yaml =
        minimalWith(SUBMIT_URL, SUBMIT_URL + "    requestId: {pointer: /uri, regex: '[0-9]+$'}\n");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.submit.requestId.regex: needs a capturing"
                + " group: its first group is the request ID (e.g. /jobs/([0-9]+)$)");
  }

  @Test
  void givenInvalidJsonPointer_whenLoaded_thenTheRfc6901FormIsExplained() {
    String yaml = minimalWith(STATUS_READY, STATUS_READY + "\n    field: state");

    assertThat(problemsOf(yaml))
        .singleElement()
        .asString()
        .startsWith("source.status.field: must be a JSON pointer: empty, or starting with '/'")
        .endsWith("(found 'state')");
  }

  @Test
  void givenNonHttpUrl_whenLoaded_thenRejected() {
    String yaml = minimalWith(EXTRACT_URL, "    url: ftp://files.example.com/${requestId}.csv");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.extract.url: must be an http:// or https:// URL (found"
                + " 'ftp://files.example.com/${requestId}.csv')");
  }

  @Test
  void givenMaxIntervalBelowInterval_whenLoaded_thenRejected() {
    String yaml =
        minimalWith(STATUS_READY, STATUS_READY + "\n    interval: 1m\n    maxInterval: 30s");

    assertThat(problemsOf(yaml))
        .containsExactly("source.status.maxInterval: must not be shorter than interval (30s < 1m)");
  }

  @Test
  void givenIntervalAboveDefaultMaxInterval_whenLoaded_thenAskedToSetMaxInterval() {
    String yaml = minimalWith(STATUS_READY, STATUS_READY + "\n    interval: 2m");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.status.maxInterval: the default of 60s is shorter than interval (2m): set"
                + " maxInterval");
  }

  @Test
  void givenZeroDuration_whenLoaded_thenMustBePositive() {
    String yaml = minimalWith(STATUS_READY, STATUS_READY + "\n    timeout: 0s");

    assertThat(problemsOf(yaml))
        .containsExactly("source.status.timeout: must be positive (found 0s)");
  }

  @Test
  void givenZeroPageTimeout_whenLoaded_thenMustBePositive() {
    String yaml =
        minimalWith(
            EXTRACT_URL, EXTRACT_URL + "\n    pageTimeout: 0s\n    checkpointInterval: 0s");

    assertThat(problemsOf(yaml))
        .containsExactly("source.extract.pageTimeout: must be positive (found 0s)");
  }

  @Test
  void givenPageTimeoutCheckpointIntervalAndMaxPages_whenLoaded_thenTheyReachTheExtractSpec()
      throws Exception {
    String yaml =
        minimalWith(
            EXTRACT_URL,
            EXTRACT_URL
                + "\n    pageTimeout: 90s\n    checkpointInterval: 0s"
                + "\n    pagination: {type: page, param: page, maxPages: 500}");

    ExtractSpec extract = extractOf(yaml);

    assertThat(extract.pageTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(extract.checkpointInterval()).isEqualTo(Duration.ZERO);
    assertThat(extract.pagination().maxPages()).isEqualTo(500);
  }

  @Test
  void givenNoPageTimeoutCheckpointIntervalOrMaxPages_whenLoaded_thenTheDocumentedDefaults()
      throws Exception {
    ExtractSpec extract = extractOf(Fixtures.read("minimal.yaml"));

    assertThat(extract.pageTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(extract.checkpointInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(extract.pagination().maxPages()).isEqualTo(100_000);
  }

  @Test
  void givenBackoffBelowOne_whenLoaded_thenRejected() {
    String yaml = minimalWith(STATUS_READY, STATUS_READY + "\n    backoff: 0.5");

    assertThat(problemsOf(yaml))
        .containsExactly("source.status.backoff: must be at least 1 (found 0.5)");
  }

  @Test
  void givenLiteralPassword_whenLoaded_thenRejectedBecauseThePipelineEntersWorkflowHistory() {
    String yaml =
        minimalWith(
            "  submit:", "  auth: {type: basic, username: u, password: hunter2}\n  submit:");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.auth.password: must be a secret reference such as ${env:NAME} or"
                + " ${file:/path}, not the secret itself (pipeline definitions are stored in"
                + " workflow history)");
  }

  @Test
  void givenLiteralTextAroundASecretReference_whenLoaded_thenRejectedWithoutEchoingTheLiteral() {
    String yaml =
        minimalWith(
            "  submit:",
            "  auth:\n"
                + "    type: oauth2-client-credentials\n"
                + "    tokenUrl: https://login.example.com/token\n"
                + "    clientId: loader\n"
                + "    clientSecret: s3cr3t-${env:SF_CLIENT_SECRET}\n"
                + "  submit:");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.auth.clientSecret: must be exactly one secret reference and nothing else:"
                + " the text around ${env:SF_CLIENT_SECRET} would be stored in workflow history;"
                + " write clientSecret: ${env:SF_CLIENT_SECRET} and keep the whole secret in that"
                + " variable or file");
    assertThat(String.join("\n", problemsOf(yaml))).doesNotContain("s3cr3t");
  }

  @Test
  void givenSecretSplitOverTwoReferences_whenLoaded_thenRejectedAsNotExactlyOne() {
    String yaml =
        minimalWith("  submit:", "  auth: {type: bearer, token: '${env:A}${file:/b}'}\n  submit:");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.auth.token: must be exactly one secret reference and nothing else (found 2:"
                + " ${env:A}, ${file:/b}); keep the whole secret in one variable or file");
  }

  @Test
  void givenOneMalformedSecretReference_whenLoaded_thenReportedOnceByTheTemplateCheck() {
    String yaml =
        minimalWith("  submit:", "  auth: {type: bearer, token: '${env:1TOKEN}'}\n  submit:");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.auth.token: ${env:1TOKEN}: '1TOKEN' is not an environment variable name");
  }

  @Test
  void givenKeyOfAnotherAuthType_whenLoaded_thenReportedInsteadOfIgnored() {
    String yaml =
        minimalWith(
            "  submit:",
            "  auth: {type: basic, username: u, password: '${env:P}', token: '${env:T}'}\n"
                + "  submit:");

    assertThat(problemsOf(yaml))
        .containsExactly("source.auth.token: applies only when type is bearer, not 'basic'");
  }

  @Test
  void givenCsvOptionOnJsonFormat_whenLoaded_thenReported() {
    String yaml =
        minimalWith(EXTRACT_URL, EXTRACT_URL + "\n    format: {type: json, delimiter: ';'}");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.extract.format.delimiter: applies only when type is csv, not 'json'");
  }

  @Test
  void givenStrictnessOptions_whenLoaded_thenAcceptedAndMapped() throws Exception {
    String yaml =
        minimalWith(
            EXTRACT_URL,
            EXTRACT_URL
                + "\n    format: {type: csv, charset: windows-1252, maxFieldSize: 4MB,"
                + " allowShortRecords: true, allowMissingColumns: true}");

    assertThat(problemsOf(yaml)).isEmpty();
    var source =
        (dev.sluice.pipeline.AsyncHttpSource)
            loader.load(yaml, "test.yaml", java.nio.file.Path.of("/pipelines")).spec().source();
    var format = (dev.sluice.pipeline.FormatSpec.Csv) source.extract().format();
    assertThat(format.charset()).isEqualTo("windows-1252");
    assertThat(format.maxFieldSize()).isEqualTo("4MB");
    assertThat(format.allowShortRecords()).isTrue();
    assertThat(format.allowMissingColumns()).isTrue();
  }

  @Test
  void givenUnknownCharsetAndHugeFieldLimit_whenLoaded_thenEachReported() {
    String yaml =
        minimalWith(
            EXTRACT_URL,
            EXTRACT_URL + "\n    format: {type: ndjson, charset: utf-9, maxFieldSize: 2GB}");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.extract.format.charset: 'utf-9' is not a charset Java knows (e.g. UTF-8,"
                + " ISO-8859-1, windows-1252)",
            "source.extract.format.maxFieldSize: at most 1GB: a value is held in memory whole"
                + " (found 2GB)");
  }

  @Test
  void givenCsvStrictnessOptionOnNdjson_whenLoaded_thenReported() {
    String yaml =
        minimalWith(
            EXTRACT_URL, EXTRACT_URL + "\n    format: {type: ndjson, allowShortRecords: true}");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.extract.format.allowShortRecords: applies only when type is csv, not"
                + " 'ndjson'");
  }

  @Test
  void givenBadDecimalAndColumnMistakes_whenLoaded_thenEachColumnProblemIsReported() {
    String yaml =
        minimalPlus(
            """
              columns:
                - {name: amount, type: "decimal(40,2)"}
                - {name: ratio, type: "decimal(3,5)"}
                - {name: amount, type: string}
                - {name: day, type: date, format: "yyyy-MM-bb"}
                - {name: note, type: string, format: "yyyy"}
                - {name: size, type: integer}
                - {name: lines, type: "list<struct<sku: string, qty: int>>"}
            """);

    assertThat(problemsOf(yaml))
        .containsExactly(
            "sink.columns[0].type: decimal precision must be between 1 and 38 (found 40)",
            "sink.columns[1].type: decimal scale must not exceed its precision (5 > 3)",
            "sink.columns[2].name: column 'amount' is already declared at sink.columns[0]",
            "sink.columns[3].format: not a valid date-time pattern: Unknown pattern letter: b",
            "sink.columns[4].format: applies only to timestamp and date columns",
            "sink.columns[5].type: must be string, long, double, boolean, timestamp, date,"
                + " decimal(P,S), struct<name: type, ...> or list<type> (found 'integer')",
            "sink.columns[6].type: unknown type 'int'; expected string, long, double, boolean,"
                + " timestamp, date, decimal(P,S), struct<name: type, …> or list<type>");
  }

  @Test
  void givenUnsupportedSinkScheme_whenLoaded_thenSupportedSchemesNamed() {
    String yaml = minimalWith("  path: out/minimal", "  path: s3://lake/raw");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "sink.path: unsupported scheme 's3:' (did you mean 's3a'?); use a path relative to"
                + " this file, or a file:, hdfs: or s3a: URI");
  }

  @Test
  void givenRelativeFileUri_whenLoaded_thenAskedForAnAbsoluteOne() {
    String yaml = minimalWith("  path: out/minimal", "  path: file:out/minimal");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "sink.path: a file: URI must be absolute"
                + " (file:///path); for a path relative to this file, leave out 'file:'");
  }

  @Test
  void givenBlankIncrementalColumn_whenLoaded_thenRejected() {
    String yaml = minimalPlus("incremental:\n  column: '  '\n  initial: '0'\n");

    assertThat(problemsOf(yaml)).containsExactly("incremental.column: must not be blank");
  }
}
