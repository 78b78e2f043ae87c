package dev.sluice.starter;

import dev.sluice.starter.cli.CancelCommand;
import dev.sluice.starter.cli.CodecServerCommand;
import dev.sluice.starter.cli.DemoCommand;
import dev.sluice.starter.cli.DevCommand;
import dev.sluice.starter.cli.ListCommand;
import dev.sluice.starter.cli.RunCommand;
import dev.sluice.starter.cli.SandboxCommand;
import dev.sluice.starter.cli.ScheduleCommand;
import dev.sluice.starter.cli.StatusCommand;
import dev.sluice.starter.cli.ValidateCommand;
import dev.sluice.starter.cli.WorkerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sluice} command line. */
@Command(
    name = "sluice",
    description = "Durable data-ingestion pipelines on Temporal.",
    mixinStandardHelpOptions = true,
    version = "sluice 0.1.0",
    subcommands = {
      ValidateCommand.class,
      RunCommand.class,
      StatusCommand.class,
      CancelCommand.class,
      ListCommand.class,
      ScheduleCommand.class,
      WorkerCommand.class,
      DevCommand.class,
      SandboxCommand.class,
      CodecServerCommand.class,
      DemoCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done (for run --wait: the run succeeded)",
      "1:the run failed or was cancelled",
      "2:bad usage or invalid pipeline; nothing started",
      "3:Temporal unreachable, or no such run"
    })
public final class SluiceCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A command line ready to execute, for {@link #main} and tests. */
  public static CommandLine commandLine() {
    return new CommandLine(new SluiceCli());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
