package dev.sluice.starter.cli;

import dev.sluice.workers.codec.AesGcmPayloadCodec;
import dev.sluice.workers.codec.CodecServer;
import dev.sluice.workers.codec.PayloadEncryption;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice codec-server}: decrypts payloads for the Temporal Web UI and the {@code temporal}
 * CLI, with the same keys as the workers ({@code SLUICE_CODEC_KEY_ID} and its keys).
 */
@Command(
    name = "codec-server",
    description = {
      "Serve the payload codec to the Temporal Web UI and CLI: POST /decode and /encode, until"
          + " Ctrl-C.",
      "Keys as for the worker: SLUICE_CODEC_KEY_ID and SLUICE_CODEC_KEY_<ID> /"
          + " SLUICE_CODEC_KEYS_FILE.",
      "Set SLUICE_CODEC_AUTH_TOKEN to require 'Authorization: Bearer <token>' on every request."
    },
    mixinStandardHelpOptions = true)
public final class CodecServerCommand extends CliCommand {
  /**
   * The bearer token every request must carry, when set. An environment variable: flags show in
   * {@code ps}.
   */
  public static final String AUTH_TOKEN_VARIABLE = "SLUICE_CODEC_AUTH_TOKEN";

  @Option(names = "--port", description = "Port (default ${DEFAULT-VALUE}).", defaultValue = "8888")
  int port;

  @Option(
      names = "--bind",
      description =
          "Address to listen on (default ${DEFAULT-VALUE}; anything else exposes decryption to the"
              + " network).",
      defaultValue = "127.0.0.1")
  String bind;

  @Option(
      names = "--cors-origin",
      paramLabel = "ORIGIN",
      split = ",",
      description =
          "Browser origin of the Web UI allowed to call it; repeatable (default ${DEFAULT-VALUE}).",
      defaultValue = "http://127.0.0.1:8080,http://localhost:8080")
  List<String> corsOrigins;

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      split = ",",
      description =
          "Serve only requests for these namespaces (the X-Namespace header); repeatable (default:"
              + " any).")
  List<String> namespaces = List.of();

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = out();
    PrintWriter err = err();
    Optional<AesGcmPayloadCodec> codec;
    try {
      codec = PayloadEncryption.fromEnvironment(System.getenv());
    } catch (IllegalArgumentException e) {
      err.println("payload encryption is misconfigured: " + e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    if (codec.isEmpty()) {
      err.println(
          "set SLUICE_CODEC_KEY_ID and the keys (SLUICE_CODEC_KEY_<ID> or SLUICE_CODEC_KEYS_FILE),"
              + " as for the workers");
      return ExitCodes.INVALID_INPUT;
    }
    Optional<String> token =
        Optional.ofNullable(System.getenv(AUTH_TOKEN_VARIABLE)).filter(t -> !t.isBlank());
    CodecServer.Settings settings;
    try {
      settings =
          new CodecServer.Settings(
              new InetSocketAddress(InetAddress.getByName(bind), port),
              new LinkedHashSet<>(corsOrigins),
              token,
              new LinkedHashSet<>(namespaces));
    } catch (UnknownHostException e) {
      err.println("--bind: unknown address '" + bind + "'");
      return ExitCodes.INVALID_INPUT;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    if (!settings.loopbackOnly() && token.isEmpty()) {
      err.println(
          "warning: listening on "
              + bind
              + " without "
              + AUTH_TOKEN_VARIABLE
              + ": anyone who can reach this port can decrypt payloads");
    }
    try (CodecServer server = CodecServer.start(codec.get(), settings)) {
      out.println("codec server on " + server.baseUrl() + " (Ctrl-C to stop)");
      out.println("  keys      " + PayloadEncryption.describe(codec));
      out.println("  origins   " + String.join(", ", new LinkedHashSet<>(corsOrigins)));
      out.println(
          "  auth      "
              + (token.isPresent()
                  ? "bearer token from " + AUTH_TOKEN_VARIABLE
                  : "none (set " + AUTH_TOKEN_VARIABLE + " to require one)"));
      out.println("  namespaces " + (namespaces.isEmpty() ? "any" : String.join(", ", namespaces)));
      out.println();
      out.println(
          "Web UI:       TEMPORAL_CODEC_ENDPOINT="
              + server.baseUrl()
              + "  (or the UI's per-user codec setting)");
      out.println(
          "temporal CLI: temporal workflow show -w ID --codec-endpoint " + server.baseUrl());
      out.flush();
      CountDownLatch stop = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "sluice-codec-server-stop"));
      stop.await();
    } catch (UncheckedIOException e) {
      err.println(e.getMessage());
      return ExitCodes.INVALID_INPUT;
    }
    return ExitCodes.OK;
  }
}
