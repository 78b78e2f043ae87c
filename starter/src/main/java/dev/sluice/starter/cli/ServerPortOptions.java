package dev.sluice.starter.cli;

import dev.sluice.starter.dev.LocalTemporal;
import dev.sluice.starter.dev.TemporalDevServer;
import picocli.CommandLine.Option;

/**
 * The ports of a local server that other terminals connect to ({@code dev}, {@code server}):
 * Temporal's defaults when free, so clients need no settings, else any free port (the banner then
 * prints the {@code export TEMPORAL_ADDRESS=…} to use).
 */
public final class ServerPortOptions {
  /** The Web UI's usual port (the frontend's plus 1000). */
  static final int DEFAULT_UI_PORT = 8233;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description =
          "Temporal frontend port on 127.0.0.1 (default: 7233, or any free port when 7233 is"
              + " taken; 0: any free port).")
  Integer port;

  @Option(
      names = "--ui-port",
      paramLabel = "PORT",
      description =
          "Web UI port on 127.0.0.1 (default: 8233, or any free port when 8233 is taken;"
              + " temporal-cli only).")
  Integer uiPort;

  /** The frontend port to start on. */
  int frontend() {
    return port != null ? port : TemporalDevServer.preferredOrFree(LocalTemporal.DEFAULT_PORT);
  }

  /** The Web UI port to start on. */
  int ui() {
    return uiPort != null ? uiPort : TemporalDevServer.preferredOrFree(DEFAULT_UI_PORT);
  }
}
