package dev.sluice.starter.spec;

import static dev.sluice.starter.spec.Fixtures.minimalPlus;
import static dev.sluice.starter.spec.Fixtures.minimalWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.pipeline.PlatformConnectionSpec;
import dev.sluice.pipeline.RequestIdSpec;
import dev.sluice.pipeline.StatusSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineLoaderTest {
  private final PipelineLoader loader = new PipelineLoader();

  private List<String> problemsOf(String yaml) {
    return Fixtures.problemsOf(loader, yaml);
  }

  @Test
  void givenOnlyRequiredKeys_whenLoaded_thenDocumentedDefaultsApply() throws Exception {
    LoadedPipeline loaded = loader.load(Fixtures.read("minimal.yaml"), "minimal.yaml");

    AsyncHttpSource source = (AsyncHttpSource) loaded.spec().source();
    assertThat(source.auth()).isEqualTo(AuthSpec.NONE);
    assertThat(source.submit().method()).isEqualTo("POST");
    assertThat(source.submit().requestId()).isEqualTo(new RequestIdSpec("body", "/id", null, null));
    StatusSpec status = source.status();
    assertThat(status.method()).isEqualTo("GET");
    assertThat(status.field()).isEqualTo("/state");
    assertThat(status.interval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(status.backoff()).isEqualTo(1.5);
    assertThat(status.maxInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(status.timeout()).isEqualTo(Duration.ofHours(1));
    assertThat(source.extract().format()).isEqualTo(FormatSpec.CSV);
    assertThat(source.extract().compression()).isEqualTo("auto");
    assertThat(source.extract().pagination()).isEqualTo(PaginationSpec.NONE);
    ParquetSink sink = (ParquetSink) loaded.spec().sink();
    assertThat(sink.mode()).isEqualTo("append");
    assertThat(sink.compression()).isEqualTo("snappy");
    assertThat(sink.targetFileSize()).isEqualTo("128MB");
    assertThat(sink.inferRows()).isEqualTo(1000);
    assertThat(loaded.spec().incremental()).isNull();
    assertThat(loaded.spec().window()).isEqualTo(Duration.ofDays(1));
    assertThat(loaded.spec().defer()).isNull();
  }

  @Test
  void givenMinimalPlatformSource_whenLoaded_thenDocumentedDefaultsApply() throws Exception {
    LoadedPipeline loaded = loader.load(Fixtures.read("platform-minimal.yaml"), "p.yaml");

    PlatformBatchesSource source = (PlatformBatchesSource) loaded.spec().source();
    assertThat(source.datasetId()).isEqualTo("5f0000000000000000000002");
    assertThat(List.of(source.read(), source.processing()))
        .containsExactly("incremental", "ordered");
    assertThat(List.of(source.maxParallel(), source.maxBatchesPerRun(), source.pageSize()))
        .containsExactly(4, 500, 100);
    assertThat(source.settleTimeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(source.settleInterval()).isEqualTo(Duration.ofSeconds(30));
    PlatformConnectionSpec connection = source.connection();
    assertThat(connection.baseUrl()).isEqualTo("${env:PLATFORM_BASE_URL}");
    assertThat(connection.authType()).isEqualTo("oauth-server-to-server");
    assertThat(connection.sandboxName()).isEqualTo("prod");
    assertThat(connection.refreshBefore()).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void givenPlatformSink_whenLoaded_thenDefaultsApplyAndItsTableIsAnAbsoluteAppendTable()
      throws Exception {
    LoadedPipeline loaded =
        loader.load(
            Fixtures.read("platform-sink-minimal.yaml"), "p.yaml", Path.of("/srv/pipelines"));

    PlatformBatchSink sink = (PlatformBatchSink) loaded.spec().sink();
    assertThat(sink.path()).isEqualTo("file:///srv/pipelines/out/sent");
    assertThat(sink.datasetId()).isEqualTo("5f0000000000000000000001");
    assertThat(sink.maxParallelUploads()).isEqualTo(4);
    assertThat(List.of(sink.largeFileThreshold(), sink.chunkSize()))
        .containsExactly("256MB", "64MB");
    assertThat(List.of(sink.pollInterval(), sink.maxPollInterval(), sink.timeout()))
        .containsExactly(Duration.ofSeconds(10), Duration.ofMinutes(2), Duration.ofHours(2));
    ParquetSink table = sink.lakeTable();
    assertThat(table.path()).isEqualTo("file:///srv/pipelines/out/sent");
    assertThat(List.of(table.mode(), table.compression(), table.targetFileSize()))
        .containsExactly("append", "snappy", "128MB");
  }

  @Test
  void givenWindowAndDefer_whenLoaded_thenBothReachTheSpec() throws Exception {
    String yaml =
        minimalPlus(
            """
            window: 1h
            defer:
              requiredFields: [email]
              key: [id]
              retention: 2d
            """);

    PipelineSpec spec = loader.load(yaml, "t.yaml", Path.of("/srv")).spec();

    assertThat(spec.window()).isEqualTo(Duration.ofHours(1));
    assertThat(spec.defer())
        .isEqualTo(new DeferralSpec(List.of("email"), List.of("id"), Duration.ofDays(2), null));
    assertThat(spec.defer().tablePath(spec.sink().lakeTable().path()))
        .isEqualTo("file:///srv/out/minimal/_sluice/deferred");
  }

  @Test
  void givenRelativeDeferPath_whenLoadedFromFile_thenResolvedAgainstTheFilesDirectory(
      @TempDir Path directory) throws Exception {
    Path file = directory.resolve("pipelines/minimal.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(
        file, minimalPlus("defer: {requiredFields: [email], path: ../held/minimal}\n"));

    DeferralSpec defer = loader.load(file).spec().defer();

    assertThat(defer.path()).isEqualTo("file://" + directory.toAbsolutePath() + "/held/minimal");
  }

  @Test
  void givenShortAndIsoDurations_whenLoaded_thenBothParse() throws Exception {
    String yaml =
        minimalWith(
            "    readyWhen: ^done$",
            """
                readyWhen: ^done$
                interval: 250ms
                maxInterval: PT2M
                timeout: 1d
            """);

    StatusSpec status = ((AsyncHttpSource) loader.load(yaml, "t.yaml").spec().source()).status();

    assertThat(status.interval()).isEqualTo(Duration.ofMillis(250));
    assertThat(status.maxInterval()).isEqualTo(Duration.ofMinutes(2));
    assertThat(status.timeout()).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void givenBrokenYaml_whenLoaded_thenOneProblemWithLineAndColumn() {
    assertThatThrownBy(() -> loader.load(Fixtures.read("broken-syntax.yaml"), "broken-syntax.yaml"))
        .isInstanceOfSatisfying(
            PipelineValidationException.class,
            e ->
                assertThat(e.problems())
                    .map(Problem::toString)
                    .containsExactly(
                        "broken-syntax.yaml:3:19: mapping values are not allowed here"));
  }

  @Test
  void givenDuplicateKey_whenLoaded_thenReportedWithLine() {
    String yaml =
        minimalWith("    readyWhen: ^done$", "    readyWhen: ^done$\n    readyWhen: ^ok$");

    assertThat(problemsOf(yaml))
        .singleElement()
        .asString()
        .matches("test\\.yaml:10:\\d+: duplicate key 'readyWhen'");
  }

  @Test
  void givenEmptyFile_whenLoaded_thenSaysSo() {
    assertThat(problemsOf("# nothing yet\n")).containsExactly("test.yaml: the file is empty");
  }

  @Test
  void givenListAtTheRoot_whenLoaded_thenTheFileAndPlaceAreNamed() {
    assertThat(problemsOf("# a list by mistake\n- name: minimal\n- source: {}\n"))
        .containsExactly(
            "test.yaml:2:1: the document root must be a mapping of keys (name:, source:, sink:),"
                + " found a list");
  }

  @Test
  void givenScalarAtTheRoot_whenLoaded_thenTheFileAndPlaceAreNamed() {
    assertThat(problemsOf("\n  minimal\n"))
        .containsExactly(
            "test.yaml:2:3: the document root must be a mapping of keys (name:, source:, sink:),"
                + " found a string");
  }

  @Test
  void givenFileThatIsNotUtf8_whenLoaded_thenTheFileAndByteOffsetAreNamed(@TempDir Path directory)
      throws Exception {
    Path file = directory.resolve("latin1.yaml");
    // "description: café" saved as ISO-8859-1, on the second line: é is the single byte 0xE9.
    byte[] text = "name: minimal\ndescription: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(file, text);

    assertThatThrownBy(() -> loader.load(file))
        .isInstanceOfSatisfying(
            PipelineValidationException.class,
            e ->
                assertThat(e.problems())
                    .map(Problem::toString)
                    .containsExactly(
                        file
                            + ": the file is not UTF-8: byte 0xE9 at byte offset 30 (line 2) does"
                            + " not decode; save it as UTF-8"));
  }

  @Test
  void givenUtf8FileWithMultiByteCharacters_whenLoaded_thenTheyAreKept(@TempDir Path directory)
      throws Exception {
    Path file = directory.resolve("utf8.yaml");
    Files.writeString(file, minimalPlus("description: caf\u00e9 \u2192 \ud83d\udca7\n"));

    assertThat(loader.load(file).spec().description()).isEqualTo("caf\u00e9 \u2192 \ud83d\udca7");
  }

  @Test
  void givenWrongType_whenLoaded_thenExpectedAndFoundAreNamed() {
    String yaml = minimalWith("    readyWhen: ^done$", "    readyWhen: ^done$\n    interval: true");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.status.interval: expected a string such as '5s', found boolean true");
  }

  @Test
  void givenMalformedDuration_whenLoaded_thenTheAcceptedFormsAreNamed() {
    String yaml =
        minimalWith("    readyWhen: ^done$", "    readyWhen: ^done$\n    interval: 5 sec");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.status.interval: must be a duration such as"
                + " 250ms, 5s, 10m, 2h, 1d or ISO-8601 PT5M (found '5 sec')");
  }

  @Test
  void givenMisspeltKey_whenLoaded_thenUnknownKeyWithSuggestionAndNoMissingKeyNoise() {
    String yaml = minimalWith("    readyWhen: ^done$", "    readyWen: ^done$");

    assertThat(problemsOf(yaml))
        .containsExactly("source.status: unknown key 'readyWen' (did you mean 'readyWhen'?)");
  }

  @Test
  void givenUnknownKeyFarFromAnyKnownKey_whenLoaded_thenNoSuggestion() {
    assertThat(problemsOf(minimalPlus("owner: data-team\n")))
        .containsExactly("unknown key 'owner'");
  }

  @Test
  void givenInvalidRegex_whenLoaded_thenPathAndPatternSyntaxDescription() {
    String yaml = minimalWith("    readyWhen: ^done$", "    readyWhen: ^(Job");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.status.readyWhen: not a valid regular expression: Unclosed group near index 5");
  }

  @Test
  void givenMissingRequiredKeys_whenLoaded_thenEachIsNamedWhereItBelongs() {
    String yaml =
        minimalWith("sink:\n  type: parquet\n  path: out/minimal\n", "")
            .replace(
                "    url: https://api.example.com/exports/${requestId}\n    readyWhen",
                "    readyWhen");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "missing required key 'sink'", "source.status: missing required key 'url'");
  }

  @Test
  void givenAuthTypeWithoutItsKeys_whenLoaded_thenTheTypeThatNeedsThemIsNamed() {
    String yaml =
        minimalWith(
            "  submit:",
            """
              auth:
                type: basic
                username: ${env:USER}
              submit:
            """);

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.auth: missing required key 'password' (needed when type is 'basic')");
  }

  @Test
  void givenPaginationStyleWithoutItsKeys_whenLoaded_thenEachMissingKeyIsNamed() {
    String yaml =
        minimalWith(
            "    url: https://api.example.com/exports/${requestId}/result",
            """
                url: https://api.example.com/exports/${requestId}/result
                pagination:
                  type: header-locator
                  param: locator
            """);

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.extract.pagination: missing required key 'header' (needed when type is"
                + " 'header-locator')");
  }

  @Test
  void givenFormatWithoutType_whenLoaded_thenCsvWithItsKeys() throws Exception {
    String yaml =
        minimalWith(
            "    url: https://api.example.com/exports/${requestId}/result",
            "    url: https://api.example.com/exports/${requestId}/result\n"
                + "    format: {delimiter: ';', allowShortRecords: true}");

    LoadedPipeline loaded = loader.load(yaml, "test.yaml");

    assertThat(((AsyncHttpSource) loaded.spec().source()).extract().format())
        .isEqualTo(new FormatSpec.Csv(";", null, null, null, null, true, null));
  }

  @Test
  void givenUnknownFormatType_whenLoaded_thenReportedAtItsPlace() {
    String yaml =
        minimalWith(
            "    url: https://api.example.com/exports/${requestId}/result",
            "    url: https://api.example.com/exports/${requestId}/result\n"
                + "    format: {type: xml}");

    assertThat(problemsOf(yaml))
        .singleElement()
        .asString()
        .startsWith("source.extract.format.type: 'xml' is not one of csv, json, ndjson");
  }

  @Test
  void givenUnknownSourceType_whenLoaded_thenOneProblemNotOnePerBranch() {
    String yaml = minimalWith("  type: async-http", "  type: async-htp");

    assertThat(problemsOf(yaml))
        .containsExactly(
            "source.type: 'async-htp' is not one of async-http, platform-batches, files (did you"
                + " mean 'async-http'?)");
  }

  @Test
  void givenSeveralMistakes_whenLoaded_thenAllAreReportedInDocumentOrder() {
    assertThatThrownBy(() -> loader.load(Fixtures.read("several-problems.yaml"), "several.yaml"))
        .isInstanceOfSatisfying(
            PipelineValidationException.class,
            e -> {
              assertThat(e.problems()).hasSize(5);
              assertThat(e.problems())
                  .extracting(Problem::path)
                  .containsExactly(
                      "name",
                      "source.status.readyWhen",
                      "source.status.interval",
                      "source.extract.url",
                      "sink.compression");
              assertThat(e.getMessage()).startsWith("several.yaml: 5 problems\n  name: ");
            });
  }

  @Test
  void givenRelativeSinkPath_whenLoadedFromFile_thenResolvedAgainstTheFilesDirectory(
      @TempDir Path directory) throws Exception {
    Path file = directory.resolve("pipelines/minimal.yaml");
    Files.createDirectories(file.getParent());
    Files.writeString(file, Fixtures.read("minimal.yaml"));

    ParquetSink sink = (ParquetSink) loader.load(file).spec().sink();

    assertThat(sink.path())
        .isEqualTo("file://" + directory.toAbsolutePath() + "/pipelines/out/minimal");
  }

  @Test
  void givenRelativeSinkPathWithDotDot_whenLoaded_thenNormalisedAbsoluteUri() throws Exception {
    String yaml = minimalWith("  path: out/minimal", "  path: ../data/my table");

    ParquetSink sink =
        (ParquetSink) loader.load(yaml, "t.yaml", Path.of("/srv/pipelines")).spec().sink();

    assertThat(sink.path()).isEqualTo("file:///srv/data/my%20table");
  }

  @Test
  void givenSinkUri_whenLoaded_thenKeptAsWritten() throws Exception {
    String yaml = minimalWith("  path: out/minimal", "  path: s3a://lake/raw/minimal");

    ParquetSink sink = (ParquetSink) loader.load(yaml, "t.yaml", Path.of("/srv")).spec().sink();

    assertThat(sink.path()).isEqualTo("s3a://lake/raw/minimal");
  }

  @Test
  void givenSecretReferences_whenLoaded_thenListedOnceEachAndUnresolvableOnesReported(
      @TempDir Path directory) throws Exception {
    Path presentFile = Files.writeString(directory.resolve("token"), "t0p");
    Path absentFile = directory.resolve("missing");
    String yaml =
        minimalWith(
            "  submit:",
            """
              auth:
                type: basic
                username: ${env:EXPORT_USER}
                password: ${file:%s}
              submit:
                headers:
                  X-Tenant: ${env:TENANT}
                  X-Signature: ${file:%s}
                  X-User: ${env:EXPORT_USER}
            """
                .formatted(presentFile, absentFile));

    LoadedPipeline loaded = loader.load(yaml, "t.yaml");

    assertThat(loaded.secretReferences())
        .containsExactly(
            "${env:EXPORT_USER}",
            "${file:" + presentFile + "}",
            "${env:TENANT}",
            "${file:" + absentFile + "}");
    assertThat(loaded.unresolvedSecrets(Map.of("EXPORT_USER", "etl")::get))
        .containsExactly("${env:TENANT}", "${file:" + absentFile + "}");
  }
}
