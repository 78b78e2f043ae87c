package dev.sluice.workflows.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.sluice.pipeline.AsyncHttpSource;
import dev.sluice.pipeline.FilesSink;
import dev.sluice.pipeline.FilesSource;
import dev.sluice.pipeline.ParquetSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.UnitsSpec;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.common.WorkflowIds;
import dev.sluice.workflows.replay.ReplayResult.Status;
import dev.sluice.workflows.replay.ReplayResult.Window;
import dev.sluice.workflows.workunits.WorkUnitsInput;
import dev.sluice.workflows.workunits.WorkUnitsProgress;
import dev.sluice.workflows.workunits.WorkUnitsResult;
import dev.sluice.workflows.workunits.WorkUnitsWorkflow;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A replay runs each window as the workflow the pipeline's shape names. */
class ReplayByShapeTest {
  private static final String QUEUE = "test";

  /** A work-units window's run: an hour of work, then 3 units and 30 rows. */
  public static class ScriptedWorkUnits implements WorkUnitsWorkflow {
    @Override
    public WorkUnitsResult run(WorkUnitsInput input) {
      Workflow.sleep(Duration.ofHours(1));
      return new WorkUnitsResult("file:///tmp/t", 3, 3, 0, 30, 3, 3, 0, 0, List.of(), false, null);
    }

    @Override
    public WorkUnitsProgress progress() {
      return null;
    }
  }

  private TestWorkflowEnvironment env;
  private WorkflowClient client;

  @BeforeEach
  void setUp() {
    env = TestWorkflowEnvironment.newInstance();
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(
        ReplayWorkflowImpl.class,
        ReplayWorkflowTest.ScriptedAsyncIngest.class,
        ScriptedWorkUnits.class);
    env.start();
    client = env.getWorkflowClient();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private ReplayResult replay(PipelineSpec spec, String from, String to) {
    return client
        .newWorkflowStub(
            ReplayWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(QUEUE)
                .setWorkflowId(WorkflowIds.replay(spec.name(), from, to))
                .build())
        .run(new ReplayInput(spec, from, to, 2, false));
  }

  @Test
  void givenWorkUnitsPipeline_whenReplaying_thenEachWindowRunsAsWorkUnitsOfThatWindow() {
    UnitsSpec units =
        new UnitsSpec(
            null, null, null, null, "file:///tmp/units.csv", null, null, null, null, null, null);
    PipelineSpec spec =
        PipelineSpec.newBuilder(
                "surveys",
                new AsyncHttpSource(null, null, null, null, null, null, null, null),
                new ParquetSink("file:///tmp/t", null, null, null, List.of(), null))
            .setDescription("test")
            .setUnits(units)
            .build();

    ReplayResult result = replay(spec, "2026-11-01T00:00:00Z", "2026-11-03T00:00:00Z");

    assertThat(result.windows())
        .extracting(Window::status, Window::rows)
        .containsExactly(
            tuple(Status.SUCCEEDED, 30L), tuple(Status.SUCCEEDED, 30L));
    WorkflowExecutionStartedEventAttributes started =
        client
            .fetchHistory("ingest/surveys/2026-11-03T00:00:00Z")
            .getEvents()
            .get(0)
            .getWorkflowExecutionStartedEventAttributes();
    assertThat(started.getWorkflowType().getName()).isEqualTo("WorkUnitsWorkflow");
    WorkUnitsInput input =
        GlobalDataConverter.get()
            .fromPayloads(
                0,
                Optional.of(started.getInput()),
                WorkUnitsInput.class,
                WorkUnitsInput.class);
    assertThat(input.logicalDate()).isEqualTo("2026-11-03T00:00:00Z");
    assertThat(input.pipeline().units()).isEqualTo(units);
  }

  @Test
  void givenFilesPipeline_whenReplaying_thenInvalidPipelineAndNoWindowRuns() {
    PipelineSpec spec =
        PipelineSpec.newBuilder(
                "reports",
                new FilesSource(null, null, "file:///tmp/in", null, null, null, null, null),
                new FilesSink("file:///tmp/out"))
            .setDescription("test")
            .build();
    String from = "2026-11-01T00:00:00Z";
    String to = "2026-11-02T00:00:00Z";

    assertThatThrownBy(() -> replay(spec, from, to))
        .isInstanceOfSatisfying(
            WorkflowFailedException.class,
            e -> {
              ApplicationFailure failure = (ApplicationFailure) e.getCause();
              assertThat(failure.getType()).isEqualTo(FailureType.INVALID_PIPELINE.type());
              assertThat(failure.getOriginalMessage()).contains("no past windows to replay");
            });
    assertThat(client.fetchHistory(WorkflowIds.replay("reports", from, to)).getEvents())
        .noneMatch(
            event ->
                event.getEventType()
                    == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED);
  }
}
