package dev.sluice.starter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PlatformBatchesSource;
import dev.sluice.pipeline.PlatformConnectionSpec;
import dev.sluice.starter.spec.PipelineLoader;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.platformingest.PlatformIngestInput;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which workflow a pipeline's source makes, and what every starter sends it. */
class RunKindTest {
  @TempDir Path dir;

  static PipelineSpec platformPipeline() {
    PlatformConnectionSpec connection =
        new PlatformConnectionSpec(
            "${env:PLATFORM_BASE_URL}",
            null,
            "${env:PLATFORM_TOKEN_URL}",
            "${env:PLATFORM_CLIENT_ID}",
            "${env:PLATFORM_CLIENT_SECRET}",
            null,
            null,
            null,
            null,
            "${env:PLATFORM_IMS_ORG}",
            null,
            null);
    return PipelineSpec.newBuilder(
            "events",
            new PlatformBatchesSource(
                connection, "5f0000000000000000000002", null, null, null, null, null, null, null),
            new ParquetSink("file:///tmp/events", "append", null, null, null, null))
        .build();
  }

  @Test
  void givenPlatformBatchesSource_whenScheduled_thenActionStartsPlatformIngestWithoutLogicalDate() {
    ScheduleActionStartWorkflow action =
        ScheduleDefinitions.action(platformPipeline(), "sluice", true);

    assertThat(action.getWorkflowType()).isEqualTo("PlatformIngestWorkflow");
    PlatformIngestInput input = action.getArguments().get(0, PlatformIngestInput.class);
    assertThat(input.pipeline().name()).isEqualTo("events");
    assertThat(input.logicalDate()).isNull();
    assertThat(input.upsertStage()).isTrue();
    assertThat(input.replay()).isFalse();
    assertThat(action.getOptions().getMemo().get("summary").toString())
        .isEqualTo("platform dataset 5f0000000000000000000002 \u2192 file:///tmp/events");
  }

  @Test
  void givenAsyncHttpSource_whenMapped_thenAsyncIngestWithItsInput() throws Exception {
    PipelineSpec spec = new PipelineLoader().load(CliRun.minimalPipeline(dir)).spec();

    RunKind kind = RunKind.of(spec);

    assertThat(kind).isEqualTo(RunKind.ASYNC_INGEST);
    assertThat(kind.workflowType()).isEqualTo("AsyncIngestWorkflow");
    assertThat(kind.input(spec, "2026-11-02", false))
        .isEqualTo(AsyncIngestInput.of(spec, "2026-11-02"));
  }

  @Test
  void givenServerWorkflowTypes_whenLookedUp_thenOnlyPipelineRunsHaveAKind() {
    assertThat(RunKind.ofWorkflowType("PlatformIngestWorkflow")).contains(RunKind.PLATFORM_INGEST);
    assertThat(RunKind.ofWorkflowType("AsyncIngestWorkflow")).contains(RunKind.ASYNC_INGEST);
    assertThat(RunKind.ofWorkflowType("ReplayWorkflow")).isEmpty();
    assertThat(RunKind.ofWorkflowType("BatchEgressWorkflow")).isEmpty();
  }
}
