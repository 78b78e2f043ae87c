package dev.sluice.starter.cli;

import io.temporal.client.schedules.ScheduleUpdate;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sluice schedule update ID FILE [flags]}: a new pipeline version, and any flag given. */
@Command(
    name = "update",
    description = {
      "Validate a pipeline and run it from the schedule's next run on.",
      "Flags given replace the schedule's (--cron or --every replaces when it runs); the rest stay",
      "as they are."
    },
    mixinStandardHelpOptions = true)
public final class ScheduleUpdateCommand extends ScheduleWriteCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "Schedule ID.")
  String id;

  @Parameters(index = "1", paramLabel = "FILE", description = "Pipeline YAML file.")
  Path file;

  @Override
  public Integer call() {
    // Unless given, the schedule keeps its queue (the flag's default would otherwise move it).
    String taskQueue =
        spec.commandLine().getParseResult().hasMatchedOption("--task-queue")
            ? queue.taskQueue()
            : null;
    return write(
        id,
        file,
        (schedules, pipeline, visible) -> {
          schedules
              .getHandle(id)
              .update(
                  input ->
                      new ScheduleUpdate(
                          ScheduleDefinitions.update(
                              input.getDescription().getSchedule(),
                              flags,
                              pipeline,
                              taskQueue,
                              visible)));
          out().println("updated schedule " + id);
          return ExitCodes.OK;
        });
  }
}
