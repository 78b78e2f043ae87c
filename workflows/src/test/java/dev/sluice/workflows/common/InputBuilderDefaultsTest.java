package dev.sluice.workflows.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchSink;
import dev.sluice.workflows.batchegress.BatchEgressInput;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The builders of inputs that cross history document their defaults as what JSON recorded before a
 * component existed reads as: a builder left at its defaults and that JSON give the same input.
 */
class InputBuilderDefaultsTest {
  private final ObjectMapper json = JacksonJsonPayloadConverter.newDefaultObjectMapper();

  private static final AsyncHttpSource SOURCE =
      new AsyncHttpSource(null, null, null, null, null, null, null, null);
  private static final ParquetSink TABLE = new ParquetSink("file:///t", null, null, null, null, null);

  @Test
  void givenPipelineJsonFromBeforeWindowDeferAndUnits_whenRead_thenItEqualsTheBuilderDefaults()
      throws Exception {
    String written =
        json.writeValueAsString(PipelineSpec.newBuilder("p", SOURCE, TABLE).build())
            .replace(",\"window\":86400.000000000", "")
            .replace(",\"defer\":null", "")
            .replace(",\"units\":null", "");
    assertThat(written).doesNotContain("window").doesNotContain("units");

    PipelineSpec read = json.readValue(written, PipelineSpec.class);

    assertThat(read).isEqualTo(PipelineSpec.newBuilder("p", SOURCE, TABLE).build());
    assertThat(read.window()).isEqualTo(PipelineSpec.DEFAULT_WINDOW).isEqualTo(Duration.ofDays(1));
    assertThat(read.toBuilder().build()).isEqualTo(read);
  }

  @Test
  void givenEgressJsonFromBeforeRecordUri_whenRead_thenItEqualsTheBuilderDefaults()
      throws Exception {
    PlatformBatchSink sink =
        new PlatformBatchSink(
            null, null, null, null, null, null, "ds", null, null, null, null, null, null);
    String written =
        json.writeValueAsString(BatchEgressInput.of(sink, List.of("file:///a.parquet"), "l"))
            .replace(",\"recordUri\":null", "");
    assertThat(written).doesNotContain("recordUri");

    BatchEgressInput read = json.readValue(written, BatchEgressInput.class);

    assertThat(read)
        .isEqualTo(BatchEgressInput.newBuilder(sink, List.of("file:///a.parquet"), "l").build());
    assertThat(read.replaces()).isEmpty();
    assertThat(read.resumed()).isNull();
    assertThat(read.toBuilder().setRecordUri("r").build().recordUri()).isEqualTo("r");
  }
}
