package dev.sluice.starter.cli;

import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.dev.LocalTemporal;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice server}: only a local Temporal server, for one's own workers, until Ctrl-C. */
@Command(
    name = "server",
    description = {
      "Run only a local Temporal server on 127.0.0.1, for your own workers and commands, until"
          + " Ctrl-C: no worker, no sandbox, your environment untouched.",
      "Sluice's search attributes are registered on its 'default' namespace."
    },
    mixinStandardHelpOptions = true)
public final class ServerCommand extends CliCommand {
  @Mixin ServerPortOptions ports;

  @Mixin LocalServerOptions server;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = out();
    PrintWriter err = err();
    // Failures (no CLI when one was required, a --db with the embedded server, misconfigured
    // encryption) become one line and an exit code in SluiceCli.
    LocalStack stack =
        server.startStack(ports.frontend(), ports.ui(), LocalServerOptions.codec(), err);
    LocalTemporal temporal = stack.temporal();
    out.println("Local Temporal server (Ctrl-C to stop)");
    LocalServerOptions.print(out, temporal, DevEnvironment.NAMESPACE);
    if (stack.codec().isPresent()) {
      // Workers started with the same SLUICE_CODEC_KEY_ID encrypt what this UI then decodes.
      out.println("  codec     " + stack.codecLine());
    }
    out.println();
    out.println("In another terminal:");
    LocalServerOptions.export(temporal).ifPresent(line -> out.println("  " + line));
    out.println("  ./sluice worker");
    out.println("  ./sluice run examples/salesforce-bulk-contacts.yaml --wait");
    out.flush();
    Foreground.untilStopped(stack);
    return ExitCodes.OK;
  }
}
