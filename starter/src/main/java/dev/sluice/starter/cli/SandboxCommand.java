package dev.sluice.starter.cli;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.sandbox.SandboxMain;
import dev.sluice.sandbox.SandboxServer;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice sandbox}: the provider emulations alone, for workers that run elsewhere. */
@Command(
    name = "sandbox",
    description =
        "Serve the sandbox providers (Salesforce Bulk API 2.0, a generic export API, a data"
            + " platform, a file share, Amazon SP-API Reports, the Snowflake SQL API, Meta Ads"
            + " Insights, an Iceberg REST catalog) until Ctrl-C.",
    mixinStandardHelpOptions = true)
public final class SandboxCommand extends CliCommand {
  @Option(names = "--port", description = "Port (default ${DEFAULT-VALUE}).", defaultValue = "8089")
  int port;

  @Option(
      names = "--bind",
      description =
          "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 only inside a container).",
      defaultValue = "127.0.0.1")
  String bind;

  @Option(
      names = "--records",
      description = "Contacts to serve (default ${DEFAULT-VALUE}).",
      defaultValue = "1000")
  int records;

  @Option(
      names = "--ready-after-polls",
      description = "Status polls until a job is complete (default ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int readyAfterPolls;

  @Option(
      names = "--iceberg-warehouse",
      description =
          "Directory of the Iceberg REST catalog's tables and database (default: a temporary"
              + " directory).")
  String icebergWarehouse;

  @Override
  public Integer call() throws InterruptedException {
    SandboxConfig config =
        SandboxConfig.defaults()
            .withPort(port)
            .withBindAddress(bind)
            .withContactRecords(records)
            .withPollsBeforeReady(readyAfterPolls)
            .withIcebergWarehouse(icebergWarehouse);
    try (SandboxServer sandbox = SandboxServer.start(config)) {
      out().println(SandboxMain.banner(sandbox, config));
      out().flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "sluice-sandbox-stop"));
      stop.await();
    }
    return ExitCodes.OK;
  }
}
