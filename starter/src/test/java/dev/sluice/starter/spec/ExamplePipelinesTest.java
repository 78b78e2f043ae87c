package dev.sluice.starter.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.AuthSpec;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.DeferralSpec;
import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.PaginationSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.pipeline.PlatformConnectionSpec;
import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxServer;
import dev.sluice.sandbox.platform.PlatformEmulator;
import dev.sluice.starter.dev.DevEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ExamplePipelinesTest {
  private final PipelineLoader loader = new PipelineLoader();

  static Stream<Path> examples() throws IOException {
    return Files.list(Fixtures.EXAMPLES).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExample_loads_andPointsEditorsAtTheSchema(Path example) throws Exception {
    LoadedPipeline loaded = loader.load(example);

    assertThat(loaded.spec().name()).isNotBlank();
    assertThat(Files.readAllLines(example).get(0))
        .isEqualTo("# yaml-language-server: $schema=../schema/pipeline.schema.json");
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExample_referencesOnlyVariablesTheDevEnvironmentSets(Path example) throws Exception {
    LoadedPipeline loaded = loader.load(example);
    SandboxConfig config = SandboxConfig.defaults();

    // `sluice dev` and `sluice demo` give their worker exactly these variables: an example that
    // needs another one cannot run there.
    try (SandboxServer sandbox = SandboxServer.start(config)) {
      Map<String, String> environment = DevEnvironment.sandboxEnvironment(sandbox, config);

      assertThat(loaded.unresolvedSecrets(environment::get)).isEmpty();
    }
  }

  @Test
  void salesforceExample_loadsAsBulkQueryJob() throws Exception {
    LoadedPipeline loaded = loader.load(Fixtures.EXAMPLES.resolve("salesforce-bulk-contacts.yaml"));

    AsyncHttpSource source = (AsyncHttpSource) loaded.spec().source();
    assertThat(source.auth())
        .isInstanceOfSatisfying(
            AuthSpec.OAuth2ClientCredentials.class,
            oauth ->
                assertThat(oauth.tokenUrl())
                    .isEqualTo("${env:SF_LOGIN_URL}/services/oauth2/token"));
    assertThat(source.submit().url())
        .isEqualTo("${env:SF_INSTANCE_URL}/services/data/v62.0/jobs/query");
    assertThat(source.submit().body()).contains("WHERE SystemModstamp > ${watermark}");
    assertThat(source.submit().requestId().pointer()).isEqualTo("/id");
    assertThat(source.status().readyWhen()).isEqualTo("^JobComplete$");
    assertThat(source.status().interval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(source.status().maxInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(source.status().timeout()).isEqualTo(Duration.ofHours(2));
    assertThat(source.extract().pagination())
        .isInstanceOfSatisfying(
            PaginationSpec.HeaderLocator.class,
            locator -> {
              assertThat(locator.header()).isEqualTo("Sforce-Locator");
              assertThat(locator.endValue()).isEqualTo("null");
              assertThat(locator.pageSize()).isEqualTo(50000);
            });
    assertThat(source.cleanup().abort().method()).isEqualTo("PATCH");
    assertThat(source.cleanup().delete().method()).isEqualTo("DELETE");
    assertThat(loaded.spec().incremental().column()).isEqualTo("SystemModstamp");

    ParquetSink sink = (ParquetSink) loaded.spec().sink();
    assertThat(sink.path())
        .isEqualTo(
            Fixtures.EXAMPLES.toAbsolutePath().normalize().toUri() + "out/salesforce-contacts");
    assertThat(sink.columns())
        .contains(
            new ColumnSpec("AnnualRevenue", "decimal(18,2)", null),
            new ColumnSpec("NumberOfEmployees", "long", null));
    assertThat(loaded.secretReferences())
        .containsExactly(
            "${env:SF_LOGIN_URL}",
            "${env:SF_CLIENT_ID}",
            "${env:SF_CLIENT_SECRET}",
            "${env:SF_INSTANCE_URL}");
  }

  @Test
  void genericExample_loadsWithRegexRequestIdAndCursorPaging() throws Exception {
    LoadedPipeline loaded = loader.load(Fixtures.EXAMPLES.resolve("generic-export-events.yaml"));

    AsyncHttpSource source = (AsyncHttpSource) loaded.spec().source();
    assertThat(source.auth()).isInstanceOf(AuthSpec.ApiKey.class);
    assertThat(source.submit().requestId().pointer()).isEqualTo("/uri");
    assertThat(source.submit().requestId().regex()).isEqualTo("/syncs/([0-9]+)$");
    assertThat(source.extract().format()).isInstanceOf(FormatSpec.Json.class);
    assertThat(((FormatSpec.Json) source.extract().format()).recordsPath())
        .isEqualTo("/result/items");
    assertThat(source.extract().pagination())
        .isEqualTo(new PaginationSpec.Cursor("/next_cursor", "cursor", null, null, null));
    ParquetSink sink = (ParquetSink) loaded.spec().sink();
    assertThat(List.of(sink.mode(), sink.compression())).containsExactly("snapshot", "zstd");
    assertThat(loaded.secretReferences())
        .containsExactly("${env:EXPORT_API_KEY}", "${env:EXPORT_BASE_URL}");
  }

  @Test
  void contactsToPlatformExample_loadsAsSalesforceIngestSentAsOneBatchPerRun() throws Exception {
    LoadedPipeline loaded = loader.load(Fixtures.EXAMPLES.resolve("contacts-to-platform.yaml"));

    AsyncHttpSource source = (AsyncHttpSource) loaded.spec().source();
    assertThat(source.submit().url())
        .isEqualTo("${env:SF_INSTANCE_URL}/services/data/v62.0/jobs/query");
    assertThat(loaded.spec().incremental().column()).isEqualTo("SystemModstamp");
    PlatformBatchSink sink = (PlatformBatchSink) loaded.spec().sink();
    assertThat(sink.path())
        .isEqualTo(
            Fixtures.EXAMPLES.toAbsolutePath().normalize().toUri() + "out/contacts-to-platform");
    assertThat(sink.datasetId()).isEqualTo("5f0000000000000000000004");
    PlatformConnectionSpec connection = sink.connection();
    assertThat(connection.authType()).isEqualTo("oauth-server-to-server");
    assertThat(
            List.of(
                connection.baseUrl(),
                connection.tokenUrl(),
                connection.clientId(),
                connection.clientSecret(),
                connection.imsOrg(),
                connection.sandboxName()))
        .containsExactly(
            "${env:PLATFORM_BASE_URL}",
            "${env:PLATFORM_TOKEN_URL}",
            "${env:PLATFORM_CLIENT_ID}",
            "${env:PLATFORM_CLIENT_SECRET}",
            "${env:PLATFORM_IMS_ORG}",
            "${env:PLATFORM_SANDBOX}");
    // Every selected field is declared, so no column's type is left to inference.
    String query = source.submit().body();
    List<String> selected =
        List.of(
            query.substring(query.indexOf("SELECT ") + 7, query.indexOf(" FROM ")).split(",\\s*"));
    assertThat(sink.columns()).extracting(ColumnSpec::name).containsExactlyElementsOf(selected);
  }

  @Test
  void platformToParquetExample_loadsAsOrderedIncrementalReadOfSeededEventsWithDeferral()
      throws Exception {
    LoadedPipeline loaded = loader.load(Fixtures.EXAMPLES.resolve("platform-to-parquet.yaml"));

    PlatformBatchesSource source = (PlatformBatchesSource) loaded.spec().source();
    assertThat(source.datasetId()).isEqualTo(PlatformEmulator.SEEDED_EVENTS);
    assertThat(List.of(source.read(), source.processing()))
        .containsExactly("incremental", "ordered");
    assertThat(source.connection().clientSecret()).isEqualTo("${env:PLATFORM_CLIENT_SECRET}");
    assertThat(loaded.spec().incremental()).isNull();
    assertThat(loaded.spec().window()).isEqualTo(Duration.ofDays(1));
    assertThat(loaded.spec().defer())
        .isEqualTo(
            new DeferralSpec(
                List.of("eventType", "value"), List.of("eventId"), Duration.ofDays(2), null));
    ParquetSink sink = (ParquetSink) loaded.spec().sink();
    assertThat(sink.path())
        .isEqualTo(Fixtures.EXAMPLES.toAbsolutePath().normalize().toUri() + "out/platform-events");
  }
}
