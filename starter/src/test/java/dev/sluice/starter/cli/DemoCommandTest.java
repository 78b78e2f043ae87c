package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.starter.spec.PipelineLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The demo's read-back: the example platform source, pointed at the dataset the demo sent to. */
class DemoCommandTest {

  @Test
  void givenExamplePlatformSource_whenReadingBack_thenSentDatasetIntoSiblingTableDeferringNoPhone()
      throws Exception {
    PipelineSpec example =
        new PipelineLoader().load(Path.of("../examples/platform-to-parquet.yaml")).spec();
    String examplePath = example.sink().lakeTable().path();

    PipelineSpec readBack = DemoCommand.readingBack(example, "5f0000000000000000000004");

    PlatformBatchesSource source = (PlatformBatchesSource) readBack.source();
    PlatformBatchesSource original = (PlatformBatchesSource) example.source();
    assertThat(source.datasetId()).isEqualTo("5f0000000000000000000004");
    assertThat(source.connection()).isEqualTo(original.connection());
    assertThat(source.read()).isEqualTo(original.read());
    assertThat(readBack.name()).isEqualTo("platform-contacts");
    assertThat(examplePath).startsWith("file:///").endsWith("/out/platform-events");
    assertThat(readBack.sink().lakeTable().path())
        .isEqualTo(examplePath.replace("/out/platform-events", "/out/platform-contacts"));
    assertThat(readBack.defer().requiredFields()).containsExactly("Phone");
    assertThat(readBack.defer().key()).containsExactly("Id");
    assertThat(readBack.defer().retention()).isEqualTo(example.defer().retention());
  }
}
