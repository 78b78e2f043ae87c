package dev.sluice.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whether a sink forwards is asked of the sink, and the answer never enters its JSON. */
class SinkSpecDestinationTest {
  /** The mapper Temporal's default data converter serialises workflow inputs with. */
  private static final ObjectMapper MAPPER = JacksonJsonPayloadConverter.newDefaultObjectMapper();

  private static final ParquetSink PARQUET =
      new ParquetSink("file:///lake/t", null, null, null, null, null);
  private static final FilesSink FILES = new FilesSink("file:///landing");
  private static final PlatformBatchSink PLATFORM =
      new PlatformBatchSink(
          "file:///lake/sent",
          null,
          null,
          null,
          null,
          null,
          "ds-1",
          null,
          null,
          null,
          Duration.ofSeconds(10),
          null,
          null);

  @Test
  void givenEachSink_whenAskedForItsDestination_thenOnlyThePlatformSinkForwardsAndToItself() {
    assertThat(PARQUET.destination()).isEmpty();
    assertThat(FILES.destination()).isEmpty();
    assertThat(PLATFORM.destination()).containsSame(PLATFORM);
  }

  @Test
  void givenEachSink_whenSerialised_thenItsJsonHoldsItsTypeAndComponentsOnlyAndReadsBackEqual()
      throws Exception {
    for (SinkSpec sink : List.of(PARQUET, FILES, PLATFORM)) {
      JsonNode json = MAPPER.valueToTree(sink);
      List<String> names = new ArrayList<>();
      json.fieldNames().forEachRemaining(names::add);
      List<String> expected = new ArrayList<>(List.of("type"));
      for (var component : sink.getClass().getRecordComponents()) {
        expected.add(component.getName());
      }
      assertThat(names).as(sink.getClass().getSimpleName()).containsExactlyInAnyOrderElementsOf(expected);
      assertThat(MAPPER.treeToValue(json, SinkSpec.class)).isEqualTo(sink);
    }
  }

  @Test
  void givenEachSink_whenMovedToAnotherPath_thenItKeepsItsTypeAndOptions() {
    assertThat(PARQUET.withPath("file:///p")).isEqualTo(PARQUET.withPath("file:///p"));
    SinkSpec moved = PLATFORM.withPath("file:///lake/sent/unit=1");
    assertThat(moved).isInstanceOf(PlatformBatchSink.class);
    assertThat(moved.lakeTable().path()).isEqualTo("file:///lake/sent/unit=1");
    assertThat(moved.destination()).isPresent();
    assertThat(FILES.withPath("file:///other").lakeTable().path()).isEqualTo("file:///other");
  }
}
