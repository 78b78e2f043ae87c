package dev.sluice.starter.cli;

import dev.sluice.starter.spec.LoadedPipeline;
import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleOptions;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice schedule create FILE --id ID (--cron EXPR | --every DURATION) …}. */
@Command(
    name = "create",
    description = {
      "Validate a pipeline and create a schedule that runs it.",
      "Each run's logical date is the time it was scheduled for; its workflow ID is",
      "ingest/<pipeline>-<scheduled time>."
    },
    mixinStandardHelpOptions = true)
public final class ScheduleCreateCommand extends CliCommand {
  @Mixin ConnectionOptions connection;
  @Mixin TaskQueueOption queue;
  @Mixin ScheduleFlags flags;

  @Mixin PipelineFile file;

  @Option(
      names = "--id",
      required = true,
      paramLabel = "ID",
      description = "Schedule ID, e.g. contacts-nightly.")
  String id;

  @Override
  public Integer call() {
    var err = err();
    if (flags.cron() == null && flags.every() == null) {
      err.println("say when it runs: --cron EXPR or --every DURATION");
      return ExitCodes.INVALID_INPUT;
    }
    Optional<LoadedPipeline> loaded = file.load(err);
    if (loaded.isEmpty()) {
      return ExitCodes.INVALID_INPUT;
    }
    return ScheduleCalls.run(
        connection,
        id,
        err,
        (schedules, temporal) -> {
          boolean visible = PipelineRuns.searchAttributesRegistered(temporal.client());
          Schedule schedule =
              ScheduleDefinitions.create(flags, loaded.get().spec(), queue.taskQueue(), visible);
          schedules.createSchedule(
              id,
              schedule,
              ScheduleOptions.newBuilder()
                  .setMemo(Map.of("pipeline", loaded.get().spec().name()))
                  .build());
          out()
              .println(
                  "created schedule "
                      + id
                      + " ("
                      + ScheduleCommand.when(schedule.getSpec())
                      + (schedule.getState().isPaused() ? ", paused" : "")
                      + ") starting "
                      + ScheduleDefinitions.workflowIdBase(loaded.get().spec().name())
                      + "-<scheduled time> on task queue '"
                      + queue.taskQueue()
                      + "'");
          return ExitCodes.OK;
        });
  }
}
