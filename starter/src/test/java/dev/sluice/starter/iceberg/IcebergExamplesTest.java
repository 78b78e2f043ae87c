package dev.sluice.starter.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.IcebergCatalogSpec;
import dev.sluice.pipeline.IcebergSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.starter.spec.PipelineValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each example pipeline loads with its sink swapped for an iceberg sink, all else the same
 * (deferral included: platform-to-parquet's {@code defer:} block).
 */
class IcebergExamplesTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "salesforce-bulk-contacts.yaml, append",
    "generic-export-events.yaml, snapshot",
    "meta-ads-insights.yaml, append",
    "amazon-sp-api-orders.yaml, append",
    "generic-survey-responses.yaml, snapshot",
    "platform-to-parquet.yaml, append"
  })
  void givenAnExampleWithItsSinkSwapped_whenLoaded_thenTheSinkIsIcebergAndAllElseIsTheSame(
      String example, String mode) throws Exception {
    Path original = IcebergExamples.example(example);
    Path swapped = IcebergExamples.write(dir, example, "warehouse", "examples.t", mode);

    PipelineSpec before = new PipelineLoader().load(original).spec();
    PipelineSpec after = new PipelineLoader().load(swapped).spec();

    IcebergSink sink = (IcebergSink) after.sink();
    assertThat(sink.table()).isEqualTo("examples.t");
    assertThat(sink.mode()).isEqualTo(mode);
    assertThat(sink.catalog()).isInstanceOf(IcebergCatalogSpec.Hadoop.class);
    assertThat(sink.catalog().warehouse())
        .as("a relative warehouse is resolved against the pipeline file")
        .isEqualTo(dir.resolve("warehouse").toUri().toString().replaceAll("/$", ""));
    assertThat(sink.columns()).isEqualTo(before.sink().lakeTable().columns());
    assertThat(after.source()).isEqualTo(before.source());
    assertThat(after.incremental()).isEqualTo(before.incremental());
    assertThat(after.units()).isEqualTo(before.units());
    assertThat(after.defer()).isEqualTo(before.defer());
    assertThat(Files.readString(swapped).lines().filter(l -> !l.startsWith(" ")).toList())
        .as("only the sink block changed")
        .isEqualTo(Files.readString(original).lines().filter(l -> !l.startsWith(" ")).toList());
  }

  @Test
  void givenDeferWithAPath_whenLoadedWithAnIcebergSink_thenRefusedInOneLine() throws Exception {
    Path swapped =
        IcebergExamples.write(dir, "platform-to-parquet.yaml", "warehouse", "examples.t", "append");
    Files.writeString(
        swapped,
        Files.readString(swapped).replace("  retention: 2d\n", "  retention: 2d\n  path: held\n"));

    assertThatThrownBy(() -> new PipelineLoader().load(swapped))
        .isInstanceOf(PipelineValidationException.class)
        .satisfies(
            e ->
                assertThat(((PipelineValidationException) e).problems())
                    .extracting(Object::toString)
                    .containsExactly(
                        "defer.path: an iceberg sink keeps its deferred rows in the table's"
                            + " _sluice/deferred, committed with each run's snapshot; remove"
                            + " defer.path"));
  }
}
