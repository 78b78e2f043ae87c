package dev.sluice.starter.cli;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.workers.codec.PayloadEncryption;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sluice dev}: an embedded Temporal server, a worker and the sandbox, until Ctrl-C. */
@Command(
    name = "dev",
    description = {
      "Run an embedded Temporal server, a worker and the sandbox providers, all on 127.0.0.1, until"
          + " Ctrl-C.",
      "The embedded server is Temporal's Java test server: no Schedules, no visibility listing, no"
          + " Web UI (use docker-compose.yml for those)."
    },
    mixinStandardHelpOptions = true)
public final class DevCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--port",
      description = "Temporal port on 127.0.0.1 (default ${DEFAULT-VALUE}).",
      defaultValue = "7233")
  int port;

  @Option(
      names = "--sandbox-port",
      description = "Sandbox port on 127.0.0.1 (default ${DEFAULT-VALUE}).",
      defaultValue = "8089")
  int sandboxPort;

  @Mixin TaskQueueOption queue;

  @Override
  public Integer call() throws InterruptedException {
    var out = spec.commandLine().getOut();
    SandboxConfig sandbox = SandboxConfig.defaults().withPort(sandboxPort);
    String encryption;
    try {
      encryption = PayloadEncryption.describe(PayloadEncryption.fromEnvironment(System.getenv()));
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("payload encryption is misconfigured: " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    try (DevEnvironment dev = DevEnvironment.start(port, sandbox, queue.taskQueue())) {
      out.println("Sluice dev environment (Ctrl-C to stop)");
      out.println(
          "  temporal  "
              + dev.temporal().address()
              + "  namespace '"
              + DevEnvironment.NAMESPACE
              + "', task queue '"
              + queue.taskQueue()
              + "'");
      out.println(
          "  sandbox   "
              + dev.sandbox().baseUrl()
              + "  Salesforce Bulk API 2.0 and a generic export API");
      out.println(
          "  worker    in this process; ${env:...} references resolve to the sandbox's values"
              + " below");
      out.println("  codec     " + encryption);
      out.println();
      out.println("In another terminal:");
      for (Map.Entry<String, String> e :
          DevEnvironment.sandboxEnvironment(dev.sandbox(), sandbox).entrySet()) {
        out.println("  export " + e.getKey() + "=" + e.getValue());
      }
      out.println("  ./sluice run examples/salesforce-bulk-contacts.yaml --wait");
      out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "sluice-dev-stop"));
      stop.await();
    }
    return ExitCodes.OK;
  }
}
