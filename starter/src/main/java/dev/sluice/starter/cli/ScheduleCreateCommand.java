package dev.sluice.starter.cli;

import io.temporal.client.schedules.Schedule;
import io.temporal.client.schedules.ScheduleOptions;
import java.util.Map;
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
public final class ScheduleCreateCommand extends ScheduleWriteCommand {
  @Mixin PipelineFile file;

  @Option(
      names = "--id",
      required = true,
      paramLabel = "ID",
      description = "Schedule ID, e.g. contacts-nightly.")
  String id;

  @Override
  public Integer call() {
    if (flags.cron() == null && flags.every() == null) {
      err().println("say when it runs: --cron EXPR or --every DURATION");
      return ExitCodes.INVALID_INPUT;
    }
    return write(
        id,
        file.path(),
        (schedules, pipeline, visible) -> {
          Schedule schedule =
              ScheduleDefinitions.create(flags, pipeline, queue.taskQueue(), visible);
          schedules.createSchedule(
              id,
              schedule,
              ScheduleOptions.newBuilder().setMemo(Map.of("pipeline", pipeline.name())).build());
          out()
              .println(
                  "created schedule "
                      + id
                      + " ("
                      + ScheduleCommand.when(schedule.getSpec())
                      + (schedule.getState().isPaused() ? ", paused" : "")
                      + ") starting "
                      + ScheduleDefinitions.workflowIdBase(pipeline.name())
                      + "-<scheduled time> on task queue '"
                      + queue.taskQueue()
                      + "'");
          return ExitCodes.OK;
        });
  }
}
