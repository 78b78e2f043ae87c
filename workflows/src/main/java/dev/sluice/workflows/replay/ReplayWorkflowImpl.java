package dev.sluice.workflows.replay;

import static dev.sluice.workflows.common.Failures.rootMessage;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.pipeline.PipelineShape;
import dev.sluice.workflows.activities.FailureType;
import dev.sluice.workflows.asyncingest.AsyncIngestInput;
import dev.sluice.workflows.asyncingest.AsyncIngestResult;
import dev.sluice.workflows.asyncingest.AsyncIngestWorkflow;
import dev.sluice.workflows.batchegress.BatchEgressResult;
import dev.sluice.workflows.common.SearchAttributes;
import dev.sluice.workflows.common.WorkflowIds;
import dev.sluice.workflows.platformingest.PlatformIngestInput;
import dev.sluice.workflows.platformingest.PlatformIngestResult;
import dev.sluice.workflows.platformingest.PlatformIngestWorkflow;
import dev.sluice.workflows.replay.ReplayResult.Status;
import dev.sluice.workflows.replay.ReplayResult.Window;
import dev.sluice.workflows.workunits.WorkUnitsInput;
import dev.sluice.workflows.workunits.WorkUnitsResult;
import dev.sluice.workflows.workunits.WorkUnitsWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/** See {@link ReplayWorkflow}. Deterministic: every window is a child workflow. */
public final class ReplayWorkflowImpl implements ReplayWorkflow {

  /**
   * Replays started before this change ran every shape but platform ingest as async ingest; from
   * this version, a work-units pipeline replays as work units and a files pipeline is refused.
   */
  static final String SHAPED_CHILDREN = "replay-child-by-pipeline-shape";

  private final List<Window> windows = new ArrayList<>();

  /** The shape whose workflow runs each window (see {@link #childShape}). */
  private PipelineShape childShape;

  @Override
  public ReplayResult run(ReplayInput input) {
    childShape = childShape(input.pipeline().shape());
    List<String> ends;
    try {
      ends = ReplayWindows.between(input.from(), input.to(), input.pipeline().window());
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          e.getMessage(), FailureType.INVALID_PIPELINE.type());
    }
    String pipeline = input.pipeline().name();
    for (String end : ends) {
      windows.add(
          new Window(
              end,
              WorkflowIds.ingest(pipeline, end),
              Status.PENDING,
              0,
              null,
              List.of(),
              null));
    }
    int limit = Math.max(1, input.maxParallel());
    List<Promise<Void>> inFlight = new ArrayList<>();
    for (int i = 0; i < windows.size(); i++) {
      if (inFlight.size() >= limit) {
        Promise.anyOf(inFlight).get();
        inFlight.removeIf(Promise::isCompleted);
      }
      if (CancellationScope.current().isCancelRequested()) {
        // A cancelled replay starts no further window: those are left PENDING, not FAILED.
        break;
      }
      int index = i;
      windows.set(i, with(windows.get(i), Status.RUNNING, 0, null, List.of(), null));
      inFlight.add(Async.procedure(() -> runWindow(input, index)));
    }
    Promise.allOf(inFlight).get();
    if (CancellationScope.current().isCancelRequested()) {
      throw new CanceledFailure("replay cancelled; the progress query lists what each window did");
    }
    return new ReplayResult(List.copyOf(windows));
  }

  @Override
  public ReplayResult progress() {
    return new ReplayResult(List.copyOf(windows));
  }

  /**
   * The shape of the child each window runs. Async and platform ingest record no marker, so their
   * command sequence is as before; for the others, a replay recorded before {@link
   * #SHAPED_CHILDREN} keeps running async ingest.
   */
  private static PipelineShape childShape(PipelineShape shape) {
    if (shape == PipelineShape.ASYNC_INGEST || shape == PipelineShape.PLATFORM_INGEST) {
      return shape;
    }
    int version = Workflow.getVersion(SHAPED_CHILDREN, Workflow.DEFAULT_VERSION, 1);
    if (version == Workflow.DEFAULT_VERSION) {
      return PipelineShape.ASYNC_INGEST;
    }
    if (!shape.replayable()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "a " + shape.workflowType() + " pipeline has no past windows to replay",
          FailureType.INVALID_PIPELINE.type());
    }
    return shape;
  }

  /** Runs one window as a child and records its outcome; never throws. */
  private void runWindow(ReplayInput input, int index) {
    Window window = windows.get(index);
    PipelineSpec spec = input.pipeline();
    ChildWorkflowOptions.Builder builder =
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(window.workflowId())
            // The window ran before: its closed run may be started again, a running one may not.
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
            .setStaticSummary("replay of " + window.logicalDate());
    if (input.upsertStage()) {
      // Only a namespace with the attributes registered accepts them.
      builder.setTypedSearchAttributes(SearchAttributes.atStart(spec));
    }
    ChildWorkflowOptions options = builder.build();
    try {
      switch (childShape) {
        case PLATFORM_INGEST -> {
          PlatformIngestResult r =
              Workflow.newChildWorkflowStub(PlatformIngestWorkflow.class, options)
                  .run(
                      new PlatformIngestInput(
                          spec, window.logicalDate(), true, input.upsertStage()));
          windows.set(index, succeeded(window, r.rows(), r.egress()));
        }
        case WORK_UNITS -> {
          WorkUnitsResult r =
              Workflow.newChildWorkflowStub(WorkUnitsWorkflow.class, options)
                  .run(WorkUnitsInput.of(spec, window.logicalDate(), input.upsertStage()));
          windows.set(index, succeeded(window, r.rows(), null));
        }
        default -> {
          AsyncIngestResult r =
              Workflow.newChildWorkflowStub(AsyncIngestWorkflow.class, options)
                  .run(
                      AsyncIngestInput.of(spec, window.logicalDate())
                          .withUpsertStage(input.upsertStage())
                          .asReplay());
          windows.set(index, succeeded(window, r.rows(), r.egress()));
        }
      }
    } catch (TemporalFailure e) {
      windows.set(index, with(window, Status.FAILED, 0, null, List.of(), rootMessage(e)));
    }
  }

  private static Window succeeded(Window w, long rows, BatchEgressResult egress) {
    return with(
        w,
        Status.SUCCEEDED,
        rows,
        egress == null ? null : egress.batchId(),
        egress == null ? List.of() : egress.replaced(),
        null);
  }

  private static Window with(
      Window w, Status status, long rows, String batchId, List<String> replaced, String error) {
    return new Window(w.logicalDate(), w.workflowId(), status, rows, batchId, replaced, error);
  }
}
