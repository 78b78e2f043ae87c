package dev.sluice.starter.dev;

import dev.sluice.workers.codec.CodecServer;
import io.temporal.payload.codec.PayloadCodec;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;

/**
 * The codec server a local Web UI decodes payloads with: on a free 127.0.0.1 port, answering only
 * the UI's own origin and namespace. No token: nothing beyond this machine reaches it.
 */
public final class UiCodecServer {
  private UiCodecServer() {}

  /** Starts serving {@code codec} to the Web UI on 127.0.0.1:{@code uiPort}. */
  public static CodecServer start(PayloadCodec codec, int uiPort, String namespace) {
    return CodecServer.start(
        codec,
        new CodecServer.Settings(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            Set.of("http://127.0.0.1:" + uiPort, "http://localhost:" + uiPort),
            Optional.empty(),
            Set.of(namespace)));
  }
}
