package dev.sluice.starter.cli;

import dev.sluice.pipeline.IcebergSink;
import dev.sluice.pipeline.PipelineSpec;
import dev.sluice.starter.spec.LoadedPipeline;
import dev.sluice.workflows.common.WorkflowIds;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.Expire;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.Orphans;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.Rewrite;
import dev.sluice.workflows.maintenance.TableMaintenanceMessages.TableMaintenanceInput;
import dev.sluice.workflows.maintenance.TableMaintenanceWorkflow;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleAlreadyRunningException;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.ScheduleUpdate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sluice table schedule FILE (--cron EXPR | --every DURATION) …}: creates, or updates when it
 * is there, the Temporal schedule {@code table-maintenance/<pipeline>} whose runs maintain the
 * pipeline's Iceberg table ({@link TableMaintenanceWorkflow}). Applying it again with the same flags
 * changes nothing; with other flags it updates the steps and, when given, the timing.
 */
@Command(
    name = "schedule",
    description = {
      "Create or update the schedule that maintains the pipeline's Iceberg table:"
          + " table-maintenance/<pipeline>.",
      "Each run expires snapshots, compacts small files and removes orphan files, as the"
          + " commands of the same names do; --no-… leaves a step out."
    },
    mixinStandardHelpOptions = true)
public final class TableScheduleCommand extends CliCommand {
  @Mixin ConnectionOptions connection;
  @Mixin TaskQueueOption queue;
  @Mixin ScheduleFlags flags;
  @Mixin PipelineFile file;

  @Option(
      names = "--expire-older-than",
      paramLabel = "DURATION",
      defaultValue = "5d",
      converter = ScheduleFlags.DurationConverter.class,
      description = "Expire snapshots older than this (default: ${DEFAULT-VALUE}).")
  Duration expireOlderThan;

  @Option(
      names = "--retain-last",
      paramLabel = "N",
      defaultValue = "1",
      description = "Keep at least the newest N snapshots (default: ${DEFAULT-VALUE}).")
  int retainLast;

  @Option(
      names = "--target-file-size",
      paramLabel = "SIZE",
      description = "Compact into files of about SIZE (default: the sink's targetFileSize).")
  String targetFileSize;

  @Option(
      names = "--orphans-older-than",
      paramLabel = "DURATION",
      defaultValue = "3d",
      converter = ScheduleFlags.DurationConverter.class,
      description =
          "Remove unreferenced files older than this; more than your longest run (default:"
              + " ${DEFAULT-VALUE}).")
  Duration orphansOlderThan;

  @Option(names = "--no-expire", description = "Do not expire snapshots.")
  boolean noExpire;

  @Option(
      names = "--no-rewrite",
      description = "Do not compact (always off for overwrite-window sinks).")
  boolean noRewrite;

  @Option(names = "--no-orphans", description = "Do not remove orphan files.")
  boolean noOrphans;

  @Override
  public Integer call() {
    Optional<LoadedPipeline> loaded = file.load(err());
    if (loaded.isEmpty()) {
      return ExitCodes.INVALID_INPUT;
    }
    PipelineSpec pipeline = loaded.get().spec();
    if (!(pipeline.sink() instanceof IcebergSink sink)) {
      err().println(file.path() + ": table maintenance is for iceberg sinks");
      return ExitCodes.INVALID_INPUT;
    }
    if (targetFileSize != null && !dev.sluice.pipeline.DataSize.looksLikeSize(targetFileSize)) {
      err().println("--target-file-size '" + targetFileSize + "' is not a size such as 128MB");
      return ExitCodes.INVALID_INPUT;
    }
    TableMaintenanceInput input = input(pipeline.name(), sink);
    if (input.expire() == null && input.rewrite() == null && input.orphans() == null) {
      err().println("every step is left out (--no-expire, --no-rewrite, --no-orphans): nothing to"
          + " schedule");
      return ExitCodes.INVALID_INPUT;
    }
    String id = WorkflowIds.tableMaintenance(pipeline.name());
    ScheduleActionStartWorkflow action =
        ScheduleActionStartWorkflow.newBuilder()
            .setWorkflowType(TableMaintenanceWorkflow.class)
            .setOptions(
                WorkflowOptions.newBuilder()
                    .setWorkflowId(id)
                    .setTaskQueue(queue.taskQueue())
                    .setStaticSummary("maintain " + sink.table() + ": " + steps(input))
                    .build())
            .setArguments(input)
            .build();
    return ScheduleCalls.run(
        connection,
        id,
        err(),
        (schedules, temporal) -> {
          String verb;
          try {
            schedules.createSchedule(
                id,
                ScheduleDefinitions.withAction(null, flags, action),
                ScheduleOptions.newBuilder().setMemo(Map.of("pipeline", pipeline.name())).build());
            verb = "created";
          } catch (IllegalArgumentException e) {
            err().println(e.getMessage());
            return ExitCodes.INVALID_INPUT;
          } catch (ScheduleAlreadyRunningException e) {
            // Applied again: the same schedule, its steps and (when given) its timing updated.
            schedules
                .getHandle(id)
                .update(
                    in ->
                        new ScheduleUpdate(
                            ScheduleDefinitions.withAction(
                                in.getDescription().getSchedule(), flags, action)));
            verb = "updated";
          }
          out().println(verb + " schedule " + id + " (" + steps(input) + ") for " + sink.table());
          return ExitCodes.OK;
        });
  }

  /** The run's input: the steps the flags leave in; no compaction for overwrite-window sinks. */
  TableMaintenanceInput input(String pipeline, IcebergSink sink) {
    boolean rewrite = !noRewrite && !sink.mode().equals("overwrite-window");
    return new TableMaintenanceInput(
        pipeline,
        sink,
        noExpire ? null : new Expire(expireOlderThan, retainLast),
        rewrite ? new Rewrite(targetFileSize) : null,
        noOrphans ? null : new Orphans(orphansOlderThan));
  }

  private static String steps(TableMaintenanceInput input) {
    List<String> steps = new ArrayList<>();
    if (input.expire() != null) {
      steps.add("expire-snapshots");
    }
    if (input.rewrite() != null) {
      steps.add("rewrite-files");
    }
    if (input.orphans() != null) {
      steps.add("remove-orphan-files");
    }
    return String.join(", ", steps);
  }
}
