package dev.sluice.starter.cli;

import io.temporal.client.schedules.ScheduleHandle;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * A {@code schedule} subcommand about one schedule, {@code schedule VERB ID}: the connection
 * flags, the ID, and the call through {@link ScheduleCalls}. Subclasses say what to do with the
 * schedule's handle.
 */
abstract class ScheduleIdCommand extends CliCommand {
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "Schedule ID.")
  String id;

  @Override
  public Integer call() {
    return ScheduleCalls.run(
        connection,
        id,
        err(),
        (schedules, temporal) -> {
          apply(schedules.getHandle(id), out());
          return ExitCodes.OK;
        });
  }

  /** Does the command's work on the schedule and prints what was done. */
  abstract void apply(ScheduleHandle schedule, PrintWriter out);
}
