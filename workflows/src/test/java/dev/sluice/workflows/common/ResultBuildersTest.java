package dev.sluice.workflows.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.platformingest.PlatformIngestResult;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Results built by name: documented defaults, and the JSON of the record they build. */
class ResultBuildersTest {
  private static final ObjectMapper MAPPER = JacksonJsonPayloadConverter.newDefaultObjectMapper();

  @Test
  void givenNothingSet_whenBuilt_thenListsAreEmptyNumbersZeroAndTheRestNull() {
    PlatformIngestResult platform = PlatformIngestResult.newBuilder().build();
    assertThat(platform.files()).isEmpty();
    assertThat(platform.batches()).isEmpty();
    assertThat(platform.skipped()).isEmpty();
    assertThat(platform.rows()).isZero();
    assertThat(platform.more()).isFalse();
    assertThat(platform.watermark()).isNull();
    assertThat(platform.replaced()).isNull();
    AsyncIngestResult async = AsyncIngestResult.newBuilder().build();
    assertThat(async.files()).isEmpty();
    assertThat(async.droppedRows()).isZero();
    assertThat(async.egress()).isNull();
  }

  @Test
  void givenTheSnapshotRunThatFoundNothing_whenBuilt_thenEqualsItsPositionalForm() {
    assertThat(PlatformIngestResult.newBuilder().tableUri("file:///t").settleChecks(2).build())
        .isEqualTo(
            new PlatformIngestResult(
                "file:///t", List.of(), 0, 0, List.of(), List.of(), false, null, null, null, 2,
                null));
  }

  @Test
  void givenEachResult_whenBuiltAndSerialised_thenItsJsonNamesAreItsComponents() {
    for (Object result :
        List.of(
            AsyncIngestResult.newBuilder().build(),
            PlatformIngestResult.newBuilder().build())) {
      JsonNode json = MAPPER.valueToTree(result);
      List<String> names = new ArrayList<>();
      json.fieldNames().forEachRemaining(names::add);
      List<String> components = new ArrayList<>();
      for (var c : result.getClass().getRecordComponents()) {
        components.add(c.getName());
      }
      assertThat(names)
          .as(result.getClass().getSimpleName())
          .containsExactlyInAnyOrderElementsOf(components);
    }
  }
}
