package dev.sluice.starter.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.pipeline.FormatSpec;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.starter.spec.PipelineValidationException;
import dev.sluice.starter.spec.Problem;
import dev.sluice.workflows.batchwindow.Route;
import dev.sluice.workflows.batchwindow.Routes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoutesLoaderTest {
  private final RoutesLoader loader = new RoutesLoader();

  @Test
  void givenExampleRoutes_whenLoaded_thenValidWithPathsResolvedBesideTheFile() throws Exception {
    Routes routes = loader.load(Path.of("../examples/windows/routes.yaml"));

    Route orders = routes.named("orders").orElseThrow();
    String examples = Path.of("../examples/windows").toAbsolutePath().normalize().toString();
    assertThat(orders.window()).isEqualTo(Duration.ofSeconds(30));
    assertThat(((ParquetSink) orders.sink()).path())
        .isEqualTo("file://" + examples + "/out/orders");
    assertThat(orders.onFailure().to()).isEqualTo("file://" + examples + "/landing/orders-failed");
    assertThat(routes.named("events").orElseThrow().sink()).isInstanceOf(PlatformBatchSink.class);
    assertThat(routes.match("file:///data/landing/orders/2026-11-22.csv")).contains(orders);
    assertThat(routes.match("s3a://bucket/x/events-1.ndjson.gz").map(Route::name))
        .contains("events");
    assertThat(routes.match("file:///data/landing/orders/notes.txt")).isEmpty();
  }

  @Test
  void givenMistakes_whenLoaded_thenEachReportedAtItsPath() {
    String yaml =
        """
        routes:
          - name: orders
            when: {prefix: "file:///in/"}
            window: soon
            sink: {type: parquet}
            onSuccess:
              - type: remove
            onFailure: {type: delete}
          - name: late
            when: {}
            sink: {type: parquet, path: out/late}
            onSuccess:
              - type: move
        """;

    PipelineValidationException e =
        catchThrowableOfType(
            PipelineValidationException.class,
            () -> loader.load(yaml, "routes.yaml", Path.of(".")));

    assertThat(e).isNotNull();
    assertThat(e.problems())
        .extracting(Problem::path)
        .contains(
            "routes[0].window",
            "routes[0].sink",
            "routes[0].onSuccess[0].type",
            "routes[1].when",
            "routes[1].onSuccess[0]");
    assertThat(e.getMessage())
        .contains("routes[0].sink: missing required key 'path'")
        .contains("routes[1].onSuccess[0]: missing required key 'to'");
  }

  @Test
  void givenSchemaValidRoutesWithLogicalMistakes_whenLoaded_thenSemanticProblemsReported() {
    String yaml =
        """
        routes:
          - name: a
            when: {pattern: "([unclosed"}
            sink: {type: parquet, path: out/a}
            onFailure: {type: delete}
          - name: a
            when: {suffix: .csv}
            sink: {type: parquet, path: out/b}
        """;

    PipelineValidationException e =
        catchThrowableOfType(
            PipelineValidationException.class,
            () -> loader.load(yaml, "routes.yaml", Path.of(".")));

    assertThat(e.problems())
        .extracting(Problem::toString)
        .anySatisfy(p -> assertThat(p).startsWith("routes[0].when.pattern: not a valid regular"))
        .anySatisfy(p -> assertThat(p).startsWith("routes[0].onFailure.type: must be 'move'"))
        .anySatisfy(p -> assertThat(p).isEqualTo("routes[1].name: route 'a' is defined twice"));
  }

  @Test
  void givenListAtTheRoot_whenLoaded_thenTheFileAndPlaceAreNamed() {
    PipelineValidationException e =
        catchThrowableOfType(
            PipelineValidationException.class,
            () -> loader.load("- name: orders\n", "routes.yaml", Path.of(".")));

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "routes.yaml:1:1: the document root must be a mapping of keys (routes:), found a"
                + " list");
  }

  @Test
  void givenFileThatIsNotUtf8_whenLoaded_thenTheFileAndByteOffsetAreNamed(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("routes.yaml");
    Files.write(file, "routes:\n  - name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    PipelineValidationException e =
        catchThrowableOfType(PipelineValidationException.class, () -> loader.load(file));

    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            file
                + ": the file is not UTF-8: byte 0xE9 at byte offset 21 (line 2) does not decode;"
                + " save it as UTF-8");
  }

  @Test
  void givenSinkWithAnUnsupportedScheme_whenLoaded_thenRefusedAsInAPipeline() {
    String yaml =
        """
        routes:
          - name: orders
            when: {suffix: .csv}
            sink: {type: parquet, path: "gs://lake/orders"}
        """;

    PipelineValidationException e =
        catchThrowableOfType(
            PipelineValidationException.class,
            () -> loader.load(yaml, "routes.yaml", Path.of(".")));

    assertThat(e).isNotNull();
    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "routes[0].sink.path: unsupported scheme 'gs:'; use a path relative to this file, or"
                + " a file:, hdfs: or s3a: URI");
  }

  @Test
  void givenPlatformSinkWithALiteralClientSecret_whenLoaded_thenRefusedAsInAPipeline() {
    String yaml =
        """
        routes:
          - name: events
            when: {suffix: .ndjson}
            sink:
              type: platform-batch
              path: out/events
              datasetId: 5f0000000000000000000004
              connection:
                baseUrl: https://platform.example.com
                tokenUrl: https://ims.example.com/token
                clientId: loader
                clientSecret: s3cr3t
                imsOrg: ORG@AdobeOrg
        """;

    PipelineValidationException e =
        catchThrowableOfType(
            PipelineValidationException.class,
            () -> loader.load(yaml, "routes.yaml", Path.of(".")));

    assertThat(e).isNotNull();
    assertThat(e.problems())
        .extracting(Problem::toString)
        .containsExactly(
            "routes[0].sink.connection.clientSecret: must be a secret reference such as"
                + " ${env:NAME} or ${file:/path}, not the secret itself (pipeline definitions are"
                + " stored in workflow history)");
  }

  @Test
  void givenRouteFormatWithoutType_whenLoaded_thenCsvWithItsKeys() throws Exception {
    String yaml =
        """
        routes:
          - name: orders
            when: {suffix: .csv}
            format: {delimiter: ";"}
            sink: {type: parquet, path: out/orders}
        """;

    Routes routes = loader.load(yaml, "routes.yaml", Path.of("/in"));

    assertThat(routes.named("orders").orElseThrow().format())
        .isEqualTo(new FormatSpec.Csv(";", null, null, null, null, null, null));
  }
}
