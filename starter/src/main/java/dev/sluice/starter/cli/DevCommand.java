package dev.sluice.starter.cli;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.dev.DevEnvironment;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice dev}: a local Temporal server, a worker and the sandbox, until Ctrl-C. */
@Command(
    name = "dev",
    description = {
      "Run a local Temporal server, a worker and the sandbox providers, all on 127.0.0.1, until"
          + " Ctrl-C.",
      "The server is the Temporal CLI's dev server (Schedules, visibility, Web UI) when one can be"
          + " had, else the embedded test server (see --server)."
    },
    mixinStandardHelpOptions = true)
public final class DevCommand extends CliCommand {
  @Mixin ServerPortOptions ports;

  @Option(
      names = "--sandbox-port",
      description = "Sandbox port on 127.0.0.1 (default ${DEFAULT-VALUE}).",
      defaultValue = "8089")
  int sandboxPort;

  @Mixin LocalServerOptions server;
  @Mixin TaskQueueOption queue;
  @Mixin DebugLogging.Flag debug;

  @Override
  public Integer call() throws InterruptedException {
    debug.apply();
    PrintWriter out = out();
    PrintWriter err = err();
    SandboxConfig sandbox = SandboxConfig.defaults().withPort(sandboxPort);
    // Failures (no CLI when one was required, a --db with the embedded server, misconfigured
    // encryption) become one line and an exit code in SluiceCli.
    LocalStack stack =
        server.startStack(ports.frontend(), ports.ui(), LocalServerOptions.codec(), err);
    DevEnvironment dev = stack.startDev(sandbox, queue.taskQueue());
    try {
      out.println("Sluice dev environment (Ctrl-C to stop)");
      LocalServerOptions.print(out, dev.temporal(), DevEnvironment.NAMESPACE);
      out.println("            task queue '" + queue.taskQueue() + "'");
      out.println(
          "  sandbox   "
              + dev.sandbox().baseUrl()
              + "  Salesforce Bulk API 2.0 and a generic export API");
      out.println(
          "  worker    in this process; ${env:...} references resolve to the sandbox's values"
              + " below");
      out.println("  codec     " + stack.codecLine());
      out.println();
      out.println("In another terminal:");
      LocalServerOptions.export(dev.temporal()).ifPresent(line -> out.println("  " + line));
      for (Map.Entry<String, String> e :
          DevEnvironment.sandboxEnvironment(dev.sandbox(), sandbox).entrySet()) {
        out.println("  export " + e.getKey() + "=" + e.getValue());
      }
      out.println("  ./sluice run examples/salesforce-bulk-contacts.yaml --wait");
      out.flush();
    } catch (RuntimeException e) {
      dev.close();
      stack.closeUiCodec();
      throw e;
    }
    Foreground.untilStopped(
        () -> {
          try {
            dev.close();
          } finally {
            stack.closeUiCodec();
          }
        });
    return ExitCodes.OK;
  }
}
