package dev.sluice.starter.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ColumnSpec;
import dev.sluice.pipeline.ParquetSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

  @Test
  void salesforceExample_loadsAsBulkQueryJob() throws Exception {
    LoadedPipeline loaded = loader.load(Fixtures.EXAMPLES.resolve("salesforce-bulk-contacts.yaml"));

    AsyncHttpSource source = (AsyncHttpSource) loaded.spec().source();
    assertThat(source.auth().type()).isEqualTo("oauth2-client-credentials");
    assertThat(source.auth().tokenUrl()).isEqualTo("${env:SF_LOGIN_URL}/services/oauth2/token");
    assertThat(source.submit().url())
        .isEqualTo("${env:SF_INSTANCE_URL}/services/data/v62.0/jobs/query");
    assertThat(source.submit().body()).contains("WHERE SystemModstamp > ${watermark}");
    assertThat(source.submit().requestId().pointer()).isEqualTo("/id");
    assertThat(source.status().readyWhen()).isEqualTo("^JobComplete$");
    assertThat(source.status().interval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(source.status().maxInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(source.status().timeout()).isEqualTo(Duration.ofHours(2));
    assertThat(source.extract().pagination().type()).isEqualTo("header-locator");
    assertThat(source.extract().pagination().header()).isEqualTo("Sforce-Locator");
    assertThat(source.extract().pagination().endValue()).isEqualTo("null");
    assertThat(source.extract().pagination().pageSize()).isEqualTo(50000);
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
    assertThat(source.auth().type()).isEqualTo("api-key");
    assertThat(source.submit().requestId().pointer()).isEqualTo("/uri");
    assertThat(source.submit().requestId().regex()).isEqualTo("/syncs/([0-9]+)$");
    assertThat(source.extract().format().type()).isEqualTo("json");
    assertThat(source.extract().format().recordsPath()).isEqualTo("/result/items");
    assertThat(source.extract().pagination().pointer()).isEqualTo("/next_cursor");
    assertThat(source.extract().pagination().param()).isEqualTo("cursor");
    ParquetSink sink = (ParquetSink) loaded.spec().sink();
    assertThat(List.of(sink.mode(), sink.compression())).containsExactly("snapshot", "zstd");
    assertThat(loaded.secretReferences())
        .containsExactly("${env:EXPORT_API_KEY}", "${env:EXPORT_BASE_URL}");
  }
}
