package dev.sluice.starter.cli;

import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.workflows.common.SearchAttributes;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleIntervalSpec;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import java.util.List;

/**
 * How schedule flags and a pipeline become a Temporal {@link Schedule}: pure functions, so what a
 * command line means can be checked without a server.
 */
public final class ScheduleDefinitions {
  private ScheduleDefinitions() {}

  /**
   * The workflow ID a schedule's runs are started with, {@code ingest/<pipeline>}; Temporal appends
   * the scheduled time ({@code ingest/contacts-2026-11-22T02:00:00Z}), so each firing is its own
   * run with its own run key.
   */
  public static String workflowIdBase(String pipeline) {
    return "ingest/" + pipeline;
  }

  /**
   * A new schedule: {@code flags} say when (one of cron or interval is required) and how; the
   * action starts the pipeline's workflow ({@link RunKind#of}) for {@code spec} on {@code
   * taskQueue} with no logical date, so each run takes the time it was scheduled for.
   *
   * @param searchAttributes whether the namespace has the Sluice search attributes (see {@link
   *     PipelineRuns#searchAttributesRegistered}); runs carry them, and upsert their stage, only
   *     then
   * @throws IllegalArgumentException when neither {@code --cron} nor {@code --every} is given
   */
  public static Schedule create(
      ScheduleFlags flags, PipelineSpec spec, String taskQueue, boolean searchAttributes) {
    return withAction(null, flags, action(spec, taskQueue, searchAttributes));
  }

  /**
   * {@code existing} with a new action for {@code spec}, and whatever {@code flags} give in place
   * of what it had; what they leave out stays as it was.
   *
   * @param taskQueue the new task queue, or null to keep the existing action's
   */
  public static Schedule update(
      Schedule existing,
      ScheduleFlags flags,
      PipelineSpec spec,
      String taskQueue,
      boolean searchAttributes) {
    String queue = taskQueue;
    if (queue == null) {
      queue =
          existing.getAction() instanceof ScheduleActionStartWorkflow start
                  && start.getOptions().getTaskQueue() != null
              ? start.getOptions().getTaskQueue()
              : dev.sluice.workflows.common.TaskQueues.DEFAULT;
    }
    return withAction(existing, flags, action(spec, queue, searchAttributes));
  }

  /**
   * A schedule that takes {@code action}, timed by {@code flags}: a new one when {@code existing}
   * is null (one of cron or interval is then required), else {@code existing} with whatever {@code
   * flags} give in place of what it had: what {@link #create} and {@link #update} build around a
   * pipeline run, and {@code sluice table schedule} around a maintenance run.
   *
   * @throws IllegalArgumentException when new and neither {@code --cron} nor {@code --every} is given
   */
  public static Schedule withAction(
      Schedule existing, ScheduleFlags flags, ScheduleActionStartWorkflow action) {
    if (existing == null && flags.cron() == null && flags.every() == null) {
      throw new IllegalArgumentException("say when it runs: --cron EXPR or --every DURATION");
    }
    Schedule.Builder b = existing == null ? Schedule.newBuilder() : Schedule.newBuilder(existing);
    return b.setAction(action)
        .setSpec(spec(flags, existing == null ? null : existing.getSpec()))
        .setPolicy(policy(flags, existing == null ? null : existing.getPolicy()))
        .setState(state(flags, existing == null ? null : existing.getState()))
        .build();
  }

  /** Starts one run of {@code spec}: the logical date is left to the workflow. */
  static ScheduleActionStartWorkflow action(
      PipelineSpec spec, String taskQueue, boolean searchAttributes) {
    WorkflowOptions.Builder options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowIdBase(spec.name()))
            .setTaskQueue(taskQueue)
            .setMemo(PipelineRuns.memo(spec))
            .setStaticSummary(PipelineRuns.staticSummary(spec, null))
            .setStaticDetails(PipelineRuns.staticDetails(spec, null));
    if (searchAttributes) {
      options.setTypedSearchAttributes(SearchAttributes.atStart(spec));
    }
    RunKind kind = RunKind.of(spec);
    return ScheduleActionStartWorkflow.newBuilder()
        .setWorkflowType(kind.workflowType())
        .setOptions(options.build())
        .setArguments(kind.input(spec, null, searchAttributes))
        .build();
  }

  private static ScheduleSpec spec(ScheduleFlags flags, ScheduleSpec existing) {
    ScheduleSpec.Builder spec =
        existing == null ? ScheduleSpec.newBuilder() : ScheduleSpec.newBuilder(existing);
    if (flags.cron() != null || flags.every() != null) {
      // A new "when" replaces the old one entirely rather than adding a second trigger.
      spec.setCronExpressions(flags.cron() == null ? List.of() : List.of(flags.cron()));
      spec.setIntervals(
          flags.every() == null ? List.of() : List.of(new ScheduleIntervalSpec(flags.every())));
      spec.setCalendars(List.of());
    }
    if (flags.jitter != null) {
      spec.setJitter(flags.jitter);
    }
    return spec.build();
  }

  private static SchedulePolicy policy(ScheduleFlags flags, SchedulePolicy existing) {
    SchedulePolicy.Builder policy =
        existing == null ? SchedulePolicy.newBuilder() : SchedulePolicy.newBuilder(existing);
    if (flags.overlap != null) {
      policy.setOverlap(flags.overlap);
    }
    if (flags.catchupWindow != null) {
      policy.setCatchupWindow(flags.catchupWindow);
    }
    if (flags.pauseOnFailure != null) {
      policy.setPauseOnFailure(flags.pauseOnFailure);
    }
    return policy.build();
  }

  private static ScheduleState state(ScheduleFlags flags, ScheduleState existing) {
    ScheduleState.Builder state =
        existing == null ? ScheduleState.newBuilder() : ScheduleState.newBuilder(existing);
    if (flags.paused != null) {
      state.setPaused(flags.paused);
    }
    if (flags.note != null) {
      state.setNote(flags.note);
    }
    return state.build();
  }
}
