package dev.sluice.starter;

import dev.sluice.starter.cli.CancelCommand;
import dev.sluice.starter.cli.CodecServerCommand;
import dev.sluice.starter.cli.DebugLogging;
import dev.sluice.starter.cli.DemoCommand;
import dev.sluice.starter.cli.DevCommand;
import dev.sluice.starter.cli.ExitCodes;
import dev.sluice.starter.cli.IngestCommand;
import dev.sluice.starter.cli.ListCommand;
import dev.sluice.starter.cli.NotifyCommand;
import dev.sluice.starter.cli.PlatformCommand;
import dev.sluice.starter.cli.ReplayCommand;
import dev.sluice.starter.cli.RunCommand;
import dev.sluice.starter.cli.SandboxCommand;
import dev.sluice.starter.cli.ScheduleCommand;
import dev.sluice.starter.cli.ServerCommand;
import dev.sluice.starter.cli.StateCommand;
import dev.sluice.starter.cli.StatusCommand;
import dev.sluice.starter.cli.TableCommand;
import dev.sluice.starter.cli.ValidateCommand;
import dev.sluice.starter.cli.WindowsCommand;
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
      ReplayCommand.class,
      IngestCommand.class,
      StatusCommand.class,
      CancelCommand.class,
      ListCommand.class,
      ScheduleCommand.class,
      WorkerCommand.class,
      DevCommand.class,
      ServerCommand.class,
      SandboxCommand.class,
      CodecServerCommand.class,
      DemoCommand.class,
      PlatformCommand.class,
      NotifyCommand.class,
      WindowsCommand.class,
      StateCommand.class,
      TableCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done (for run --wait: the run succeeded; for replay --wait: every window did)",
      "1:the run (or a replayed window) failed or was cancelled",
      "2:bad usage or invalid pipeline; nothing started",
      "3:Temporal, a platform or a store unreachable or refusing, or no such run or schedule"
    })
public final class SluiceCli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A command line ready to execute, for {@link #main} and tests. */
  public static CommandLine commandLine() {
    DebugLogging.configure(DebugLogging.requested());
    return new CommandLine(new SluiceCli()).setExecutionExceptionHandler(SluiceCli::oneLine);
  }

  /**
   * Anything a command did not handle itself becomes one line on stderr, not a stack trace (set
   * SLUICE_DEBUG=1 for the trace), with the exit code of its kind.
   */
  private static int oneLine(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    if (DebugLogging.requested()) {
      e.printStackTrace(cmd.getErr());
    }
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof io.temporal.common.converter.DataConverterException) {
      cmd.getErr()
          .println(
              "sluice: cannot read this run's data: "
                  + message
                  + " (if the workers encrypt payloads, set SLUICE_CODEC_KEY_ID and the same keys"
                  + " here)");
      return ExitCodes.UNAVAILABLE;
    }
    if (e instanceof io.grpc.StatusRuntimeException) {
      cmd.getErr().println("sluice: Temporal answered: " + message);
      return ExitCodes.UNAVAILABLE;
    }
    if (e instanceof dev.sluice.starter.dev.TemporalCli.NotAvailableException
        || e instanceof dev.sluice.starter.dev.TemporalDevServer.StartException) {
      // A local server that was asked for and cannot be had: the message says what to do.
      cmd.getErr().println("sluice: " + message);
      return ExitCodes.UNAVAILABLE;
    }
    if (e instanceof IllegalArgumentException) {
      cmd.getErr().println("sluice: " + message);
      return ExitCodes.INVALID_INPUT;
    }
    cmd.getErr().println("sluice: " + message + " (SLUICE_DEBUG=1 shows where)");
    return ExitCodes.RUN_FAILED;
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}
